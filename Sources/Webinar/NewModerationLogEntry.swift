public import Foundation

/// A moderation log line to append; the store assigns the id.
public struct NewModerationLogEntry: Sendable, Equatable {
    public var eventId: Int64
    public var actor: Moderator
    public var action: ModerationAction
    public var target: String?
    public var detail: String?
    public var createdAt: Date

    public init(
        eventId: Int64, actor: Moderator, action: ModerationAction, target: String? = nil, detail: String? = nil,
        createdAt: Date
    ) {
        self.eventId = eventId
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.createdAt = createdAt
    }

    /// The stored entry with its id.
    public func entry(id: Int64) -> ModerationLogEntry {
        ModerationLogEntry(
            id: id, eventId: self.eventId, actor: self.actor, action: self.action, target: self.target,
            detail: self.detail, createdAt: self.createdAt)
    }
}
