import Foundation

/// Whether a comment is public (`visible`) or waits for a host's approval (`held`).
public enum CommentStatus: String, Sendable, Codable, CaseIterable {
    case visible, held
}
