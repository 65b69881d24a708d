import Foundation

/// A host's action on a room, as the moderation log records it.
public enum ModerationAction: String, Sendable, Codable, CaseIterable {
    case hide, unhide, pin, unpin, approve, mute, slowmode
    /// A host set a question's state.
    case answering, answered, dismissed
    case blockedWords = "blocked_words"
}
