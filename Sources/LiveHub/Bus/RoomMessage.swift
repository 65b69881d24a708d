package import Webinar

/// A room message other than a comment. Each node applies what it changes in memory (mutes, slow mode,
/// blocked words) and publishes its frame.
package enum RoomMessage: Sendable, Equatable {
    case hidden(commentId: Int64)
    case pinned(commentId: Int64)
    case unpinned(commentId: Int64)
    case likes(commentId: Int64, likes: Int)
    case approved(heldId: Int64, id: Int64)
    case muted(authorId: String, seconds: Int)
    case slowMode(seconds: Int, slug: String)
    /// A host set a question's state (a vote count travels as `likes`).
    case questionState(commentId: Int64, state: QuestionState)
    /// The event row changed (PATCH): no frame, the room's policy reloads it and members re-check
    /// their access (viewers of an event that turned private are closed).
    case eventChanged(slug: String)
    /// A registration was cancelled or promoted: its holder's open sockets change role at once.
    case registrationChanged(authorId: String, status: RegistrationStatus)

    /// The frame members get, if any.
    package func frame(_ messages: LiveMessages) -> LiveFrame? {
        switch self {
        case .hidden(let id): messages.commentState("hidden", commentId: id)
        case .pinned(let id): messages.commentState("pinned", commentId: id)
        case .unpinned(let id): messages.commentState("unpinned", commentId: id)
        case .likes(let id, let likes): messages.likes(commentId: id, likes: likes)
        case .approved(let heldId, let id): messages.approved(heldId: heldId, id: id)
        case .muted(let authorId, let seconds): messages.muted(authorId: authorId, seconds: seconds)
        case .slowMode(let seconds, _): messages.slowMode(seconds: seconds)
        case .questionState(let id, let state): messages.questionState(commentId: id, state: state)
        case .eventChanged, .registrationChanged: nil
        }
    }

    /// What members must apply to themselves, if anything.
    package var memberChange: MemberChange? {
        switch self {
        case .eventChanged: .accessRulesChanged
        case .registrationChanged(let authorId, let status): .registrationChanged(authorId: authorId, status: status)
        default: nil
        }
    }
}
