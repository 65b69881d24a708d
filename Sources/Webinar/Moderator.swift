import Foundation

/// Who took a moderation action or wrote a comment on the event's side; raw values are what the log
/// stores and what a comment's `role` says.
public enum Moderator: String, Sendable, Codable, CaseIterable {
    case host, admin

    /// The name their comments are signed with.
    public var displayName: String {
        switch self {
        case .host: "Host"
        case .admin: "Admin"
        }
    }
}
