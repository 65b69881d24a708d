import Foundation

/// Matches an event's blocked words in a comment; a match sends the comment to review (held), it does not
/// reject it, so a false positive costs a host one click.
///
/// Matching compares folded text (``TextFold``: case, accents, invisible characters such as zero-width
/// spaces, full-width and look-alike Cyrillic or Greek letters all fold away, so "sp\u{200B}am" and
/// "ѕрам" read "spam") and is **whole-word**: an entry matches where it is not flanked by a letter or
/// digit, so "ass" holds "ass!" but not "class" (the Scunthorpe problem). An entry may be a phrase
/// ("buy now"), matched the same way.
public struct BlockedWords: Sendable, Equatable {
    private let folded: [String]

    public init(_ words: [String]) {
        self.folded = words.map(Self.fold).filter { !$0.isEmpty }
    }

    public var isEmpty: Bool { self.folded.isEmpty }

    /// Whether any entry occurs in `text` as a whole word.
    public func matches(_ text: String) -> Bool { self.firstMatch(in: text) != nil }

    /// The first entry (folded) found in `text` as a whole word, for the moderation log.
    public func firstMatch(in text: String) -> String? {
        guard !self.folded.isEmpty else { return nil }
        let haystack = Self.fold(text)
        return self.folded.first { Self.containsWord($0, in: haystack) }
    }

    /// Folded (``TextFold``) and trimmed: the form words are compared in.
    public static func fold(_ text: String) -> String {
        TextFold.fold(text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func containsWord(_ word: String, in haystack: String) -> Bool {
        var searchStart = haystack.startIndex
        while let range = haystack.range(of: word, range: searchStart..<haystack.endIndex) {
            let before = range.lowerBound == haystack.startIndex ? nil : haystack[haystack.index(before: range.lowerBound)]
            let after = range.upperBound == haystack.endIndex ? nil : haystack[range.upperBound]
            if !Self.isWordCharacter(before), !Self.isWordCharacter(after) { return true }
            searchStart = haystack.index(after: range.lowerBound)
        }
        return false
    }

    private static func isWordCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber
    }
}
