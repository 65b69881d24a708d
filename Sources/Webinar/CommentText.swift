import Foundation

/// The rule for a comment's text: line breaks as line feeds, no other control characters, trimmed,
/// not blank, at most 2,000 characters.
public enum CommentText {
    public static let maxCharacters = 2000
    /// Also bounds Unicode scalars and bytes, so one "character" stacked with thousands of combining
    /// marks cannot slip past the character count.
    public static let maxScalars = 8000
    public static let maxBytes = 16_000

    /// The text as stored and shown, or `invalid_field` (a control character such as NUL, which the
    /// store, the room and an export would each treat differently), `empty` or `too_long` (the
    /// WebSocket error codes).
    public static func validate(_ raw: String) throws(WebinarError) -> String {
        let trimmed = try Validation.text(raw, field: "text", noun: "A comment", lines: .multiple)
        guard !trimmed.isEmpty else {
            throw WebinarError(kind: .invalid, code: "empty", message: "Write something before sending.", field: "text")
        }
        guard trimmed.utf8.count <= Self.maxBytes, trimmed.unicodeScalars.count <= Self.maxScalars,
            trimmed.count <= Self.maxCharacters
        else {
            throw WebinarError(
                kind: .invalid, code: "too_long", message: "A comment can be at most 2000 characters long.",
                field: "text")
        }
        return trimmed
    }
}
