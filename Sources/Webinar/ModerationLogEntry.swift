public import Foundation

/// One line of an event's moderation log: who did what to which comment or author, and when.
public struct ModerationLogEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var eventId: Int64
    public var actor: Moderator
    public var action: ModerationAction
    /// A comment id or an author id, as text.
    public var target: String?
    /// Free detail, e.g. "300 s" for a mute or the new id of an approved comment.
    public var detail: String?
    public var createdAt: Date

    public init(
        id: Int64, eventId: Int64, actor: Moderator, action: ModerationAction, target: String? = nil,
        detail: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.eventId = eventId
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.createdAt = createdAt
    }
}
