public import Foundation
import Synchronization
public import Webinar

extension InMemoryStore {
    public func appendCommentBatch(_ batch: [NewComment], now: Date) throws -> [Result<AppendedComment, WebinarError>] {
        try self.state.withLock { (state) throws(WebinarError) in
            // All or nothing, like the SQLite transaction: check every event before storing anything.
            for new in batch where state.events[new.eventId] == nil { throw .eventNotFound }
            return CommentNonces.append(
                batch,
                lookup: { keys, targets in
                    var found: [CommentNonceKey: Comment] = [:]
                    for key in keys {
                        if let id = state.nonces[key], let comment = state.comments[key.eventId]?[id] { found[key] = comment }
                    }
                    let visible = targets.filter { state.comments[$0.eventId]?[$0.id]?.isPublic == true }
                    return (found, Set(visible))
                },
                insert: { fresh in
                    fresh.map { new in
                        state.events[new.eventId]!.lastCommentId += 1
                        let comment = Comment(
                            eventId: new.eventId, id: state.events[new.eventId]!.lastCommentId, authorId: new.authorId,
                            author: new.author, text: new.text, replyTo: new.replyTo,
                            status: new.held ? .held : .visible, createdAt: now, kind: new.kind)
                        state.comments[new.eventId, default: [:]][comment.id] = comment
                        if let key = CommentNonceKey(new) { state.nonces[key] = comment.id }
                        return comment
                    }
                })
        }
    }

    public func comments(eventId: Int64, after: Int64?, limit: Int, includeHidden: Bool) throws -> [Comment] {
        guard limit > 0 else { return [] }
        return self.state.withLock { state in
            let all = (state.comments[eventId] ?? [:]).values
                .filter { $0.id > (after ?? 0) && (includeHidden || $0.isPublic) }
                .sorted { $0.id < $1.id }
            return Array(all.prefix(limit))
        }
    }

    public func comment(eventId: Int64, id: Int64) throws -> Comment? {
        self.state.withLock { state in state.comments[eventId]?[id] }
    }

    public func setHidden(eventId: Int64, id: Int64, _ hidden: Bool) throws -> Comment {
        try self.state.withLock { (state) throws(WebinarError) in
            guard state.comments[eventId]?[id] != nil else { throw .commentNotFound }
            state.comments[eventId]![id]!.hidden = hidden
            return state.comments[eventId]![id]!
        }
    }

    public func setPinned(eventId: Int64, id: Int64, _ pinned: Bool) throws -> Comment {
        try self.state.withLock { (state) throws(WebinarError) in
            guard state.comments[eventId]?[id] != nil else { throw .commentNotFound }
            state.comments[eventId]![id]!.pinned = pinned
            return state.comments[eventId]![id]!
        }
    }

    public func approve(eventId: Int64, id: Int64, now: Date) throws -> Comment {
        try self.state.withLock { (state) throws(WebinarError) in
            guard var comment = state.comments[eventId]?[id] else { throw .commentNotFound }
            guard comment.status == .held else { throw .notHeld }
            state.events[eventId]!.lastCommentId += 1
            comment.id = state.events[eventId]!.lastCommentId
            comment.status = .visible
            comment.hidden = false
            state.comments[eventId]![id] = nil
            state.comments[eventId]![comment.id] = comment
            for (key, commentId) in state.nonces where key.eventId == eventId && commentId == id {
                state.nonces[key] = comment.id
            }
            return comment
        }
    }

    public func likeBatch(_ likes: [LikeRequest]) throws -> [Result<LikeOutcome, WebinarError>] {
        self.state.withLock { state in
            likes.map { like -> Result<LikeOutcome, WebinarError> in
                guard let comment = state.comments[like.eventId]?[like.commentId], comment.isPublic else {
                    return .failure(.commentNotFound)
                }
                let key = InMemoryState.LikeKey(eventId: like.eventId, commentId: like.commentId, likerId: like.likerId)
                guard state.likes.insert(key).inserted else { return .success(LikeOutcome(likes: comment.likes, changed: false)) }
                state.comments[like.eventId]![like.commentId]!.likes += 1
                return .success(LikeOutcome(likes: comment.likes + 1, changed: true))
            }
        }
    }

    public func appendModerationLog(_ entry: NewModerationLogEntry) throws {
        try self.state.withLock { (state) throws(WebinarError) in
            guard state.events[entry.eventId] != nil else { throw .eventNotFound }
            state.log.append(entry.entry(id: Int64(state.log.count + 1)))
        }
    }

    public func moderationLog(eventId: Int64) throws -> [ModerationLogEntry] {
        self.state.withLock { state in state.log.filter { $0.eventId == eventId } }
    }

    public func lastCommentId(eventId: Int64) throws -> Int64? {
        self.state.withLock { state in
            guard let last = state.events[eventId]?.lastCommentId, last > 0 else { return nil }
            return last
        }
    }
}
