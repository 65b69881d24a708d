import LiveHub
import Webinar

/// How a room's traffic reaches its members: on one node straight into the hub; with several nodes
/// on one PostgreSQL database, through the database so every node's members see every node's
/// traffic in one order (`PostgresBus`).
protocol LiveBus: Sendable {
    /// A comment this node's writer just committed; called on the writer thread, in id order.
    func commentCommitted(_ comment: Comment)
    /// A room message from this node (moderation, likes, settings), for every node's members.
    func publish(_ message: RoomMessage, eventId: Int64)
    /// A member subscribed and is about to read its backlog: from now on this node must deliver the
    /// room's comments. Runs on a store thread, before the backlog read.
    func roomJoined(eventId: Int64) throws
    func stop()
}

/// A room message other than a comment. Each node applies what it changes in memory (mutes, slow mode,
/// blocked words) and publishes its frame.
enum RoomMessage: Sendable, Equatable {
    case hidden(commentId: Int64)
    case pinned(commentId: Int64)
    case unpinned(commentId: Int64)
    case likes(commentId: Int64, likes: Int)
    case approved(heldId: Int64, id: Int64)
    case muted(authorId: String, seconds: Int)
    case slowMode(seconds: Int, slug: String)
    /// The event row changed (PATCH): no frame, the room's policy reloads it and members re-check
    /// their access (viewers of an event that turned private are closed).
    case eventChanged(slug: String)
    /// A registration was cancelled or promoted: its holder's open sockets change role at once.
    case registrationChanged(authorId: String, status: RegistrationStatus)

    /// The frame members get, if any.
    func frame(_ messages: LiveMessages) -> LiveFrame? {
        switch self {
        case .hidden(let id): messages.commentState("hidden", commentId: id)
        case .pinned(let id): messages.commentState("pinned", commentId: id)
        case .unpinned(let id): messages.commentState("unpinned", commentId: id)
        case .likes(let id, let likes): messages.likes(commentId: id, likes: likes)
        case .approved(let heldId, let id): messages.approved(heldId: heldId, id: id)
        case .muted(let authorId, let seconds): messages.muted(authorId: authorId, seconds: seconds)
        case .slowMode(let seconds, _): messages.slowMode(seconds: seconds)
        case .eventChanged, .registrationChanged: nil
        }
    }

    /// What members must apply to themselves, if anything.
    var memberChange: MemberChange? {
        switch self {
        case .eventChanged: .accessRulesChanged
        case .registrationChanged(let authorId, let status): .registrationChanged(authorId: authorId, status: status)
        default: nil
        }
    }
}

/// One node (SQLite or in memory): a direct `hub.publish`, nothing else on the path.
struct LocalBus: LiveBus {
    let hub: LiveHub
    let messages: LiveMessages

    func commentCommitted(_ comment: Comment) {
        let frame = comment.status == .held ? self.messages.held(comment) : self.messages.comment(comment)
        self.hub.publish(frame, eventId: comment.eventId)
    }

    func publish(_ message: RoomMessage, eventId: Int64) {
        if let frame = message.frame(self.messages) { self.hub.publish(frame, eventId: eventId) }
        if let change = message.memberChange { self.hub.notify(change, eventId: eventId) }
    }

    func roomJoined(eventId: Int64) {}

    func stop() {}
}
