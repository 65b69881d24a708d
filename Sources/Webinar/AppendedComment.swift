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

/// The one rule every store applies inside its comment transaction, so a repeated nonce never makes
/// a second comment, whether it repeats a stored comment or an earlier one of the same batch.
public enum CommentNonces {
    /// `existing` looks the batch's keys up among stored comments (inside the transaction, after the
    /// store has locked what orders its ids); `insert` stores the rest, in order, and returns them.
    public static func append(
        _ batch: [NewComment],
        existing: ([CommentNonceKey]) throws -> [CommentNonceKey: Comment],
        insert: ([NewComment]) throws -> [Comment]
    ) rethrows -> [AppendedComment] {
        enum Source {
            case fresh(Int)  // index into the stored comments
            case stored(Comment)
        }
        let keys = batch.map(CommentNonceKey.init)
        let found = try existing(Array(Set(keys.compactMap { $0 })))
        var firstInBatch: [CommentNonceKey: Int] = [:]
        var fresh: [NewComment] = []
        let sources = keys.enumerated().map { index, key -> Source in
            if let key, let comment = found[key] { return .stored(comment) }
            if let key, let first = firstInBatch[key] { return .fresh(first) }
            if let key { firstInBatch[key] = fresh.count }
            fresh.append(batch[index])
            return .fresh(fresh.count - 1)
        }
        let stored = try insert(fresh)
        var seen = Set<Int>()
        return sources.map { source in
            switch source {
            case .stored(let comment):
                return AppendedComment(comment: comment, repeated: true)
            case .fresh(let position):
                return AppendedComment(comment: stored[position], repeated: !seen.insert(position).inserted)
            }
        }
    }
}
