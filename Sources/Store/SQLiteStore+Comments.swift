public import Foundation
import GRDB
public import Webinar

extension SQLiteStore {
    public func appendCommentBatch(_ batch: [NewComment], now: Date) throws -> [Result<AppendedComment, WebinarError>] {
        guard !batch.isEmpty else { return [] }
        // One writer at a time (SQLite's write lock), so neither the nonce lookup nor the reply check can
        // race the insert: a hide of a reply's target commits before the batch or after it.
        return try self.dbPool.write { db in
            try CommentNonces.append(
                batch, lookup: { keys, targets in (try Self.commentsByNonce(db, keys), try Self.publicComments(db, targets)) },
                insert: { fresh in try Self.insertComments(db, fresh, now: now) })
        }
    }

    private static func insertComments(_ db: Database, _ batch: [NewComment], now: Date) throws -> [Comment] {
        guard !batch.isEmpty else { return [] }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO comments (event_id, id, author_id, author, text, reply_to, status, created_at, nonce, kind, question_state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var counters: [Int64: Int64] = [:]
        var stored: [Comment] = []
        stored.reserveCapacity(batch.count)
        for new in batch {
            let last: Int64
            if let known = counters[new.eventId] {
                last = known
            } else {
                guard let current = try Self.lastCommentCounter(db, eventId: new.eventId) else {
                    throw WebinarError.eventNotFound
                }
                last = current
            }
            let comment = Comment(
                eventId: new.eventId, id: last + 1, authorId: new.authorId, author: new.author, text: new.text,
                replyTo: new.replyTo, status: new.held ? .held : .visible, createdAt: now, kind: new.kind)
            try insert.execute(arguments: [
                comment.eventId, comment.id, comment.authorId, comment.author, comment.text, comment.replyTo,
                comment.status.rawValue, comment.createdAt.timeIntervalSince1970, new.nonce.isEmpty ? nil : new.nonce,
                comment.kind.rawValue, comment.questionState?.rawValue,
            ])
            counters[new.eventId] = last + 1
            stored.append(comment)
        }
        for (eventId, last) in counters { try Self.saveCommentCounter(db, eventId: eventId, last: last) }
        return stored
    }

    /// The stored comments of these (event, author, nonce) keys, by the partial unique index.
    private static func commentsByNonce(_ db: Database, _ keys: [CommentNonceKey]) throws -> [CommentNonceKey: Comment] {
        var found: [CommentNonceKey: Comment] = [:]
        for key in keys {
            let record = try CommentRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM comments WHERE event_id = ? AND author_id = ? AND nonce = ?"),
                arguments: [key.eventId, key.authorId, key.nonce])
            if let record { found[key] = record.comment }
        }
        return found
    }

    /// Which of these comments are public now (inside the write transaction, so none is hidden meanwhile).
    private static func publicComments(_ db: Database, _ refs: [CommentRef]) throws -> Set<CommentRef> {
        try Set(refs.filter { ref in try Self.fetchComment(db, eventId: ref.eventId, id: ref.id)?.comment.isPublic == true })
    }

    public func comments(eventId: Int64, after: Int64?, limit: Int, includeHidden: Bool) throws -> [Comment] {
        guard limit > 0 else { return [] }
        return try self.dbPool.read { db in
            var request =
                CommentRecord
                .filter(CommentRecord.Columns.eventId == eventId && CommentRecord.Columns.id > (after ?? 0))
            if !includeHidden {
                request = request.filter(
                    CommentRecord.Columns.hidden == false
                        && CommentRecord.Columns.status == CommentStatus.visible.rawValue)
            }
            return try request.order(CommentRecord.Columns.id).limit(limit).fetchAll(db).map(\.comment)
        }
    }

    public func comment(eventId: Int64, id: Int64) throws -> Comment? {
        try self.dbPool.read { db in try Self.fetchComment(db, eventId: eventId, id: id)?.comment }
    }

    public func setHidden(eventId: Int64, id: Int64, _ hidden: Bool) throws -> Comment {
        try self.dbPool.write { db in
            guard var record = try Self.fetchComment(db, eventId: eventId, id: id) else {
                throw WebinarError.commentNotFound
            }
            record.hidden = hidden
            try record.update(db)
            return record.comment
        }
    }

    public func setPinned(eventId: Int64, id: Int64, _ pinned: Bool) throws -> Comment {
        try self.dbPool.write { db in
            guard var record = try Self.fetchComment(db, eventId: eventId, id: id) else {
                throw WebinarError.commentNotFound
            }
            record.pinned = pinned
            try record.update(db)
            return record.comment
        }
    }

    public func approve(eventId: Int64, id: Int64, now: Date) throws -> Comment {
        try self.dbPool.write { db in
            guard var record = try Self.fetchComment(db, eventId: eventId, id: id) else {
                throw WebinarError.commentNotFound
            }
            guard record.status == CommentStatus.held.rawValue else { throw WebinarError.notHeld }
            guard let last = try Self.lastCommentCounter(db, eventId: eventId) else { throw WebinarError.eventNotFound }
            try db.execute(
                sql: "UPDATE comments SET id = ?, status = 'visible', hidden = 0 WHERE event_id = ? AND id = ?",
                arguments: [last + 1, eventId, id])
            try Self.saveCommentCounter(db, eventId: eventId, last: last + 1)
            record.id = last + 1
            record.status = CommentStatus.visible.rawValue
            record.hidden = false
            return record.comment
        }
    }

    public func likeBatch(_ likes: [LikeRequest]) throws -> [Result<LikeOutcome, WebinarError>] {
        guard !likes.isEmpty else { return [] }
        return try self.dbPool.write { db in
            try likes.map { like -> Result<LikeOutcome, WebinarError> in
                guard let record = try Self.fetchComment(db, eventId: like.eventId, id: like.commentId), record.comment.isPublic
                else { return .failure(.commentNotFound) }
                try db.cachedStatement(
                    sql: "INSERT OR IGNORE INTO comment_likes (event_id, comment_id, liker_id) VALUES (?, ?, ?)"
                ).execute(arguments: [like.eventId, like.commentId, like.likerId])
                guard db.changesCount > 0 else { return .success(LikeOutcome(likes: record.likes, changed: false)) }
                try db.cachedStatement(sql: "UPDATE comments SET likes = likes + 1 WHERE event_id = ? AND id = ?")
                    .execute(arguments: [like.eventId, like.commentId])
                return .success(LikeOutcome(likes: record.likes + 1, changed: true))
            }
        }
    }

    public func appendModerationLog(_ entry: NewModerationLogEntry) throws {
        try self.dbPool.write { db in
            guard try Self.fetchEvent(db, id: entry.eventId) != nil else { throw WebinarError.eventNotFound }
            var record = ModerationLogRecord(entry)
            try record.insert(db)
        }
    }

    public func moderationLog(eventId: Int64) throws -> [ModerationLogEntry] {
        try self.dbPool.read { db in
            try ModerationLogRecord
                .filter(ModerationLogRecord.Columns.eventId == eventId)
                .order(ModerationLogRecord.Columns.id)
                .fetchAll(db)
                .map(\.entry)
        }
    }

    public func lastCommentId(eventId: Int64) throws -> Int64? {
        try self.dbPool.read { db in
            guard let last = try Self.lastCommentCounter(db, eventId: eventId), last > 0 else { return nil }
            return last
        }
    }

    private static func fetchComment(_ db: Database, eventId: Int64, id: Int64) throws -> CommentRecord? {
        try CommentRecord.fetchOne(db, key: ["event_id": eventId, "id": id])
    }

    /// The event's comment counter, or nil for an unknown event.
    private static func lastCommentCounter(_ db: Database, eventId: Int64) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_comment_id FROM events WHERE id = ?"), arguments: [eventId])
    }

    private static func saveCommentCounter(_ db: Database, eventId: Int64, last: Int64) throws {
        try db.cachedStatement(sql: "UPDATE events SET last_comment_id = ? WHERE id = ?").execute(arguments: [last, eventId])
    }
}
