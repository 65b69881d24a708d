package import Webinar

/// The room messages a node may have missed while its listening connection was down, rebuilt from the
/// moderation log: every host action is logged right after it is published, so the log holds them in order.
/// Replaying one a client already has is harmless (hiding a hidden comment, pinning a pinned one).
package enum ModerationReplay {
    package static func messages(from entries: [ModerationLogEntry], slug: String) -> [RoomMessage] {
        entries.compactMap { entry in
            let commentId = entry.target.flatMap { Int64($0) }
            switch entry.action {
            case .hide: return commentId.map { .hidden(commentId: $0) }
            case .pin: return commentId.map { .pinned(commentId: $0) }
            case .unpin: return commentId.map { .unpinned(commentId: $0) }
            case .approve:
                guard let commentId, let id = ModerationDetail.approvedId(entry.detail) else { return nil }
                return .approved(heldId: commentId, id: id)
            case .mute:
                guard let authorId = entry.target, let seconds = ModerationDetail.muteSeconds(entry.detail) else { return nil }
                return .muted(authorId: authorId, seconds: seconds)
            case .slowmode:
                return ModerationDetail.slowModeSeconds(entry.detail).map { .slowMode(seconds: $0, slug: slug) }
            case .answering, .answered, .dismissed:
                guard let commentId, let state = QuestionState(rawValue: entry.action.rawValue) else { return nil }
                return .questionState(commentId: commentId, state: state)
            case .unhide, .blockedWords:
                return nil  // no room message; settings are reloaded with the event
            }
        }
    }
}
