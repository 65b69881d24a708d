import Foundation

/// Where a question stands with the host. A new question is `open`; at most one question of an event
/// is `answering` at a time (marking another one moves it to `answered`).
public enum QuestionState: String, Sendable, Codable, CaseIterable {
    case open, answering, answered, dismissed

    /// The moderation log's action for a host setting this state (`open` is never set by a host).
    public var moderationAction: ModerationAction? {
        switch self {
        case .open: nil
        case .answering: .answering
        case .answered: .answered
        case .dismissed: .dismissed
        }
    }
}

/// A question whose state a host changed, and the question that stopped being answered because of it.
public struct QuestionStateChange: Sendable, Equatable {
    public var question: Comment
    /// The question that was `answering` before and is now `answered`, when marking `answering` moved it.
    public var previous: Comment?

    public init(question: Comment, previous: Comment?) {
        self.question = question
        self.previous = previous
    }
}
