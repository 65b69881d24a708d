import Foundation

/// The form text is compared in where a person could be fooled: blocked words in comments, reserved
/// words in names. Two texts fold alike when they read alike.
public enum TextFold {
    /// `text` folded for comparison, in this order:
    /// 1. compatibility normalization (NFKC): full-width, ligature and mathematical letters become plain ones;
    /// 2. invisible characters dropped (Unicode's default-ignorable code points: zero-width spaces and
    ///    joiners, direction marks and overrides, soft hyphens, variation selectors, tags);
    /// 3. Cyrillic and Greek look-alikes replaced by the Latin letters they read as (``Confusables``);
    /// 4. case and accents removed, and look-alikes replaced once more (an accent may have hidden one).
    public static func fold(_ text: String) -> String {
        let compatible = text.precomposedStringWithCompatibilityMapping
        var visible = String.UnicodeScalarView()
        for scalar in compatible.unicodeScalars where !scalar.properties.isDefaultIgnorableCodePoint {
            visible.append(Confusables.latin(for: scalar) ?? scalar)
        }
        let caseless = String(visible).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        guard caseless.unicodeScalars.contains(where: { Confusables.latin(for: $0) != nil }) else { return caseless }
        return String(String.UnicodeScalarView(caseless.unicodeScalars.map { Confusables.latin(for: $0) ?? $0 }))
    }
}
