import Foundation

/// A comment as ``WebinarStore/appendCommentBatch(_:now:)`` answers it: stored by this call, or found
/// already stored under the same author and nonce (a client sending again after a lost `ack`).
public struct AppendedComment: Sendable, Equatable {
    public var comment: Comment
    /// True when nothing was stored: the comment is the one stored earlier with this nonce, so its
    /// author gets the original `ack` and nobody sees it twice.
    public var repeated: Bool

    public init(comment: Comment, repeated: Bool) {
        self.comment = comment
        self.repeated = repeated
    }
}

/// What makes a comment the same comment again: its event, its author and the client's nonce.
public struct CommentNonceKey: Sendable, Hashable {
    public var eventId: Int64
    public var authorId: String
    public var nonce: String

    public init(eventId: Int64, authorId: String, nonce: String) {
        self.eventId = eventId
        self.authorId = authorId
        self.nonce = nonce
    }

    /// Nil for a comment without a nonce (stored every time).
    public init?(_ new: NewComment) {
        guard !new.nonce.isEmpty else { return nil }
        self.init(eventId: new.eventId, authorId: new.authorId, nonce: new.nonce)
    }
}

/// Where a comment lives: what a reply points at.
public struct CommentRef: Sendable, Hashable {
    public var eventId: Int64
    public var id: Int64

    public init(eventId: Int64, id: Int64) {
        self.eventId = eventId
        self.id = id
    }
}

/// The rules every store applies inside its comment transaction, so a repeated nonce never makes a
/// second comment (whether it repeats a stored comment or an earlier one of the same batch) and a reply
/// is stored only while its target is public: nothing can hide the target between the check and the
/// insert.
public enum CommentNonces {
    /// `lookup` finds, in one go, the stored comments of the batch's nonce keys and which of the reply
    /// targets are public comments (inside the transaction, after the store has locked what orders its
    /// ids); `insert` stores the accepted new comments, in order, and returns them. A repeat is answered
    /// with its stored comment even if its target was hidden since; a new reply to a target that is not
    /// public is refused alone with ``WebinarError/badReply`` and takes no id.
    public static func append(
        _ batch: [NewComment],
        lookup: (_ nonces: [CommentNonceKey], _ replyTargets: [CommentRef]) throws
            -> (stored: [CommentNonceKey: Comment], publicTargets: Set<CommentRef>),
        insert: ([NewComment]) throws -> [Comment]
    ) rethrows -> [Result<AppendedComment, WebinarError>] {
        enum Source {
            case fresh(Int)  // index into the stored comments
            case stored(Comment)
            case refused
        }
        let keys = batch.map(CommentNonceKey.init)
        let targets = Set(batch.compactMap { new in new.replyTo.map { CommentRef(eventId: new.eventId, id: $0) } })
        let found = try lookup(Array(Set(keys.compactMap { $0 })), Array(targets))
        var firstInBatch: [CommentNonceKey: Int] = [:]
        var fresh: [NewComment] = []
        let sources = keys.enumerated().map { index, key -> Source in
            if let key, let comment = found.stored[key] { return .stored(comment) }
            if let key, let first = firstInBatch[key] { return .fresh(first) }
            let new = batch[index]
            if let replyTo = new.replyTo, !found.publicTargets.contains(CommentRef(eventId: new.eventId, id: replyTo)) {
                return .refused
            }
            if let key { firstInBatch[key] = fresh.count }
            fresh.append(new)
            return .fresh(fresh.count - 1)
        }
        let stored = try insert(fresh)
        var seen = Set<Int>()
        return sources.map { source in
            switch source {
            case .stored(let comment):
                return .success(AppendedComment(comment: comment, repeated: true))
            case .fresh(let position):
                return .success(AppendedComment(comment: stored[position], repeated: !seen.insert(position).inserted))
            case .refused:
                return .failure(.badReply)
            }
        }
    }
}
