import Foundation

/// Header text that any mail reader shows as written: RFC 2047 encoded words for non-ASCII text, RFC 5322
/// quoted strings for plain names, and folding so no header line passes 76 characters.
///
/// CR, LF and other control characters never reach a header: they become spaces before encoding, and
/// encoded words carry everything else as base64, so a name can never end a header line or start another.
/// Related RFCs: <https://www.rfc-editor.org/rfc/rfc2047>, <https://www.rfc-editor.org/rfc/rfc5322#section-3.2.5>
public enum EncodedWords {
    /// Input bytes per encoded word: 36 bytes are 48 base64 characters, a 60-character word.
    static let bytesPerWord = 36
    static let lineLimit = 76

    /// An unstructured header value (Subject): the words as they are when all ASCII, else encoded
    /// words; folded, given that `used` characters (`Subject: `) already stand on the first line.
    public static func unstructured(_ text: String, used: Int) -> String {
        let clean = Self.withoutControls(text)
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) && !clean.contains("=?") {
            return Self.fold(clean.split(separator: " ").map(String.init), used: used)
        }
        return Self.fold(Self.encode(clean), used: used)
    }

    /// A display name (RFC 5322 phrase): a quoted string when short plain ASCII, else encoded words.
    public static func phrase(_ text: String, used: Int) -> String {
        let clean = Self.withoutControls(text)
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) && clean.count <= 40 && !clean.contains("=?") {
            var quoted = "\""
            for character in clean {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }
        return Self.fold(Self.encode(clean), used: used)
    }

    /// `=?UTF-8?B?…?=` words of whole characters, at most ``bytesPerWord`` bytes each. Adjacent encoded
    /// words joined by folding whitespace decode to the text with nothing in between (RFC 2047 §6.2).
    static func encode(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > Self.bytesPerWord, !chunk.isEmpty {
                words.append(Self.word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(Self.word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// Tokens separated by spaces, a CRLF before a token that would pass the line limit.
    static func fold(_ tokens: [String], used: Int) -> String {
        var result = ""
        var column = used
        for (index, token) in tokens.enumerated() {
            if index > 0 {
                if column + 1 + token.count > Self.lineLimit {
                    result += "\r\n "
                    column = 1
                } else {
                    result += " "
                    column += 1
                }
            }
            result += token
            column += token.count
        }
        return result
    }

    /// Control characters (CR, LF, TAB, NUL, …) and line separators as spaces.
    static func withoutControls(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029 ? " " : scalar
                }))
    }
}
