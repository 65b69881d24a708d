import Foundation

/// Who took a moderation action; raw values are what the log stores.
public enum Moderator: String, Sendable, Codable, CaseIterable {
    case host, admin
}
