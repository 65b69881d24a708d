import Foundation

/// A host's action on a room, as the moderation log records it.
public enum ModerationAction: String, Sendable, Codable, CaseIterable {
    case hide, unhide, pin, unpin, approve, mute, slowmode
    case blockedWords = "blocked_words"
}
