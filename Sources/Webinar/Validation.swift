import Foundation

/// The field rules shared by every input type, each throwing `invalid_field` with the field's name.
///
/// Lengths count characters (grapheme clusters) after trimming whitespace and newlines.
public enum Validation {
    public static let titleLength = 1...200
    public static let descriptionMaxLength = 5000
    public static let nameLength = 1...200
    public static let emailMaxLength = 254
    public static let capacityRange = 1...1_000_000
    public static let slowModeRange = 0...3600
    public static let blockedWordsMaxCount = 200
    public static let blockedWordLength = 1...100

    /// A trimmed title of 1–200 characters.
    public static func title(_ raw: String, field: String = "title") throws(WebinarError) -> String {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.titleLength.contains(title.count) else {
            throw .invalidField(field, "The title must be 1 to 200 characters long.")
        }
        return title
    }

    /// A trimmed description of at most 5,000 characters (empty is fine).
    public static func description(_ raw: String) throws(WebinarError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= Self.descriptionMaxLength else {
            throw .invalidField("description", "The description must be at most 5000 characters long.")
        }
        return text
    }

    /// A trimmed person's name of 1–200 characters with no control characters.
    public static func name(_ raw: String) throws(WebinarError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.nameLength.contains(name.count) else {
            throw .invalidField("name", "The name must be 1 to 200 characters long.")
        }
        guard !name.unicodeScalars.contains(where: Self.isControl) else {
            throw .invalidField("name", "The name must not contain control characters such as line breaks or tabs.")
        }
        return name
    }

    /// A normalized email: trimmed, lowercased, one `@`, a dotted domain, at most 254 characters.
    ///
    /// Deliberately loose (no RFC 5322 grammar): it catches typos, and the normalized form is what makes
    /// "the same email" the same registration.
    public static func email(_ raw: String) throws(WebinarError) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let invalid = WebinarError.invalidField("email", "Enter an email address like name@example.com.")
        guard !email.isEmpty, email.count <= Self.emailMaxLength else {
            throw email.isEmpty ? invalid : .invalidField("email", "The email address must be at most 254 characters long.")
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty,
            !email.unicodeScalars.contains(where: { Self.isControl($0) || $0.properties.isWhitespace })
        else { throw invalid }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { throw invalid }
        return email
    }

    /// A seat count in 1…1,000,000.
    public static func capacity(_ capacity: Int) throws(WebinarError) -> Int {
        guard Self.capacityRange.contains(capacity) else {
            throw .invalidField("capacity", "The capacity must be a whole number from 1 to 1000000.")
        }
        return capacity
    }

    /// Slow mode seconds in 0…3600 (0 turns it off).
    public static func slowModeSeconds(_ seconds: Int) throws(WebinarError) -> Int {
        guard Self.slowModeRange.contains(seconds) else {
            throw .invalidField("slowModeSeconds", "Slow mode must be 0 (off) to 3600 seconds.")
        }
        return seconds
    }

    /// An end strictly after the start, when there is an end.
    public static func schedule(startsAt: Date, endsAt: Date?) throws(WebinarError) {
        if let endsAt, endsAt <= startsAt {
            throw .invalidField("endsAt", "The end time must be after the start time.")
        }
    }

    /// Up to 200 trimmed words of 1–100 characters, duplicates (ignoring case) dropped, first spelling kept.
    public static func blockedWords(_ words: [String]) throws(WebinarError) -> [String] {
        guard words.count <= Self.blockedWordsMaxCount else {
            throw .invalidField("blockedWords", "At most 200 blocked words are allowed.")
        }
        var seen = Set<String>()
        var result: [String] = []
        for raw in words {
            let word = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard Self.blockedWordLength.contains(word.count) else {
                throw .invalidField("blockedWords", "Each blocked word must be 1 to 100 characters long.")
            }
            if seen.insert(BlockedWords.fold(word)).inserted { result.append(word) }
        }
        return result
    }

    /// Control characters (Unicode Cc) plus the line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
