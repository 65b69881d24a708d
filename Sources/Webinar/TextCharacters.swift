/// Which characters a text field may hold: never control characters (Unicode Cc: C0, DEL, C1), which
/// a store, a terminal or a CSV reader may each treat differently (a NUL ends a C string, an escape
/// repaints a terminal); line breaks and tabs only where the field has lines; in names, no invisible
/// formatting characters either.
public enum TextCharacters {
    /// One line (titles, names, words), or several (descriptions, comments: line feeds and tabs allowed).
    public enum Lines: Sendable { case single, multiple }

    /// `text` with its line breaks as line feeds: CRLF and lone CR become LF (what a browser's text area gives).
    public static func normalizingLineBreaks(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\r")) else { return text }
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            scalars.append(previousWasCR ? "\n" : scalar)
        }
        return String(scalars)
    }

    /// Whether `scalar` may not appear: a control character other than a line feed or tab in a field
    /// with lines; in a one-line field also the Unicode line and paragraph separators.
    public static func isForbidden(_ scalar: Unicode.Scalar, in lines: Lines) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: lines == .single
        case 0x2028, 0x2029: lines == .single
        default: scalar.properties.generalCategory == .control
        }
    }

    /// Whether `scalar` is invisible formatting a name must not hide: a default-ignorable code point
    /// (zero-width space, word joiner, byte order mark, direction marks, embeddings, overrides and
    /// isolates, soft hyphen, tag characters, Hangul fillers), except the joiners and variation
    /// selectors that emoji and several scripts need (U+200C, U+200D, U+FE00–FE0F, U+E0100–E01EF).
    public static func isInvisibleFormatting(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.properties.isDefaultIgnorableCodePoint else { return false }
        switch scalar.value {
        case 0x200C, 0x200D, 0xFE00...0xFE0F, 0xE0100...0xE01EF: return false
        default: return true
        }
    }
}
