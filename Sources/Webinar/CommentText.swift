import Foundation

/// The rule for a comment's text: trimmed, not blank, at most 2,000 characters.
public enum CommentText {
    public static let maxCharacters = 2000
    /// Also bounds Unicode scalars, so one "character" stacked with thousands of combining marks cannot
    /// slip past the character count.
    public static let maxScalars = 8000

    /// The trimmed text, or `empty` / `too_long` (the WebSocket error codes).
    public static func validate(_ raw: String) throws(WebinarError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw WebinarError(kind: .invalid, code: "empty", message: "Write something before sending.", field: "text")
        }
        guard text.count <= Self.maxCharacters, text.unicodeScalars.count <= Self.maxScalars else {
            throw WebinarError(
                kind: .invalid, code: "too_long", message: "A comment can be at most 2000 characters long.",
                field: "text")
        }
        return text
    }
}
