import Foundation

/// What a comment is posted as: a remark in the stream, or a question the audience votes on (with
/// likes) and the host answers.
public enum CommentKind: String, Sendable, Codable, CaseIterable {
    case comment, question
}
