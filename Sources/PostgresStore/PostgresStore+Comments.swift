public import Foundation
public import Webinar

extension PostgresStore {
    /// One transaction: locks the batch's events in id order, looks the batch's nonces up (under the
    /// lock, so a repeat sent to another node meanwhile waits and then finds this one) and share-locks
    /// the reply targets in the same statement (so a hide waits for this commit, or this batch sees it
    /// and refuses the reply), takes ids from
    /// the counters, inserts every new comment with one statement and saves the counters. The locks are
    /// held until commit, so per event the ids grow in commit order across nodes.
    public func appendCommentBatch(_ batch: [NewComment], now: Date) throws -> [Result<AppendedComment, WebinarError>] {
        guard !batch.isEmpty else { return [] }
        let eventIds = Set(batch.map(\.eventId)).sorted()
        return try self.pool.transaction { db in
            let locked = try db.query(
                "SELECT id, last_comment_id FROM events WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
                [PGArray(eventIds)])
            var counters: [Int64: Int64] = [:]
            for row in locked.all { counters[try row.int64("id")] = try row.int64("last_comment_id") }
            guard counters.count == eventIds.count else { throw WebinarError.eventNotFound }

            return try CommentNonces.append(
                batch, lookup: { keys, targets in try Self.lookup(db, nonces: keys, replyTargets: targets) },
                insert: { fresh in
                    let stored = fresh.map { new in
                        counters[new.eventId]! += 1
                        return Comment(
                            eventId: new.eventId, id: counters[new.eventId]!, authorId: new.authorId,
                            author: new.author, text: new.text, replyTo: new.replyTo,
                            status: new.held ? .held : .visible, createdAt: now, kind: new.kind)
                    }
                    guard !stored.isEmpty else { return [] }
                    try db.query(
                        """
                        INSERT INTO comments (event_id, id, author_id, author, text, reply_to, status, created_at, nonce,
                            kind, question_state)
                        SELECT u.e, u.i, u.a, u.n, u.t, u.r, u.s, $8::double precision, u.o, u.k, u.q
                        FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                            $7::text[], $9::text[], $10::text[], $11::text[]) AS u(e, i, a, n, t, r, s, o, k, q)
                        """,
                        [
                            PGArray(stored.map(\.eventId)), PGArray(stored.map(\.id)), PGArray(stored.map(\.authorId)),
                            PGArray(stored.map(\.author)), PGArray(stored.map(\.text)), PGArray(stored.map(\.replyTo)),
                            PGArray(stored.map(\.status.rawValue)), now,
                            PGArray(fresh.map { $0.nonce.isEmpty ? nil : $0.nonce }),
                            PGArray(stored.map(\.kind.rawValue)), PGArray(stored.map(\.questionState?.rawValue)),
                        ])
                    for (eventId, last) in counters.sorted(by: { $0.key < $1.key }) {
                        try db.query("UPDATE events SET last_comment_id = $2 WHERE id = $1", [eventId, last])
                    }
                    return stored
                })
        }
    }

    /// The stored comments of these (event, author, nonce) keys and which reply targets are public, in
    /// one statement. The targets are share-locked in (event, id) order, like `likeBatch` locks, so
    /// no two batches wait on each other in a cycle.
    private static func lookup(_ db: PGConnection, nonces keys: [CommentNonceKey], replyTargets targets: [CommentRef]) throws
        -> (stored: [CommentNonceKey: Comment], publicTargets: Set<CommentRef>)
    {
        guard !keys.isEmpty || !targets.isEmpty else { return ([:], []) }
        let rows = try db.query(
            """
            WITH target AS (
                SELECT c.* FROM comments c
                JOIN unnest($4::bigint[], $5::bigint[]) AS r(e, i) ON c.event_id = r.e AND c.id = r.i
                ORDER BY c.event_id, c.id FOR SHARE OF c
            )
            SELECT c.*, false AS reply_target FROM comments c
            JOIN unnest($1::bigint[], $2::text[], $3::text[]) AS k(e, a, n)
                ON c.event_id = k.e AND c.author_id = k.a AND c.nonce = k.n
            UNION ALL
            SELECT t.*, true FROM target t
            """,
            [
                PGArray(keys.map(\.eventId)), PGArray(keys.map(\.authorId)), PGArray(keys.map(\.nonce)),
                PGArray(targets.map(\.eventId)), PGArray(targets.map(\.id)),
            ])
        var found: [CommentNonceKey: Comment] = [:]
        var visible = Set<CommentRef>()
        for row in rows.all {
            let comment = try PGRecords.comment(row)
            if try row.bool("reply_target") {
                if comment.isPublic { visible.insert(CommentRef(eventId: comment.eventId, id: comment.id)) }
            } else if let nonce = try row.text("nonce") {
                found[CommentNonceKey(eventId: comment.eventId, authorId: comment.authorId, nonce: nonce)] = comment
            }
        }
        return (found, visible)
    }

    public func comments(eventId: Int64, after: Int64?, limit: Int, includeHidden: Bool) throws -> [Comment] {
        guard limit > 0 else { return [] }
        let visibility = includeHidden ? "" : " AND NOT hidden AND status = 'visible'"
        return try self.pool.withConnection { db in
            try db.query(
                "SELECT * FROM comments WHERE event_id = $1 AND id > $2\(visibility) ORDER BY id LIMIT $3",
                [eventId, after ?? 0, limit]
            ).all.map(PGRecords.comment)
        }
    }

    public func comment(eventId: Int64, id: Int64) throws -> Comment? {
        try self.pool.withConnection { db in
            try db.query("SELECT * FROM comments WHERE event_id = $1 AND id = $2", [eventId, id]).first
                .map(PGRecords.comment)
        }
    }

    public func setHidden(eventId: Int64, id: Int64, _ hidden: Bool) throws -> Comment {
        try self.update(eventId: eventId, id: id, column: "hidden", hidden)
    }

    public func setPinned(eventId: Int64, id: Int64, _ pinned: Bool) throws -> Comment {
        try self.update(eventId: eventId, id: id, column: "pinned", pinned)
    }

    /// Takes a new id from the event's counter under the event's lock (as `appendComments` does), so an
    /// approved comment is ordered after everything already committed.
    public func approve(eventId: Int64, id: Int64, now: Date) throws -> Comment {
        try self.pool.transaction { db in
            // No event means no comment (the foreign key), so both read as an unknown comment.
            guard
                let last = try db.query("SELECT last_comment_id FROM events WHERE id = $1 FOR UPDATE", [eventId])
                    .first?.int64("last_comment_id")
            else { throw WebinarError.commentNotFound }
            guard
                let row = try db.query(
                    "SELECT status FROM comments WHERE event_id = $1 AND id = $2 FOR UPDATE", [eventId, id]
                ).first
            else { throw WebinarError.commentNotFound }
            guard try row.string("status") == CommentStatus.held.rawValue else { throw WebinarError.notHeld }
            let updated = try db.query(
                """
                UPDATE comments SET id = $3, status = 'visible', hidden = false WHERE event_id = $1 AND id = $2
                RETURNING *
                """, [eventId, id, last + 1])
            try db.query("UPDATE events SET last_comment_id = $2 WHERE id = $1", [eventId, last + 1])
            guard let approved = updated.first else { throw WebinarError.commentNotFound }
            return try PGRecords.comment(approved)
        }
    }

    /// Locks every liked comment row first, in (event, id) order so two nodes' batches never wait on
    /// each other in a cycle, then counts the likes in request order; a like and an approval or hide
    /// of the same comment take turns. Each comment's count is written once, at the end.
    public func likeBatch(_ likes: [LikeRequest]) throws -> [Result<LikeOutcome, WebinarError>] {
        struct Key: Hashable, Comparable {
            let eventId: Int64
            let commentId: Int64
            static func < (a: Key, b: Key) -> Bool { (a.eventId, a.commentId) < (b.eventId, b.commentId) }
        }
        guard !likes.isEmpty else { return [] }
        return try self.pool.transaction { db in
            var counts: [Key: (likes: Int, added: Int)] = [:]  // public comments only
            for key in Set(likes.map { Key(eventId: $0.eventId, commentId: $0.commentId) }).sorted() {
                guard
                    let row = try db.query(
                        "SELECT * FROM comments WHERE event_id = $1 AND id = $2 FOR UPDATE", [key.eventId, key.commentId]
                    ).first, try PGRecords.comment(row).isPublic
                else { continue }
                counts[key] = (try row.int("likes"), 0)
            }
            let outcomes = try likes.map { like -> Result<LikeOutcome, WebinarError> in
                let key = Key(eventId: like.eventId, commentId: like.commentId)
                guard let count = counts[key] else { return .failure(.commentNotFound) }
                let inserted = try db.query(
                    """
                    INSERT INTO comment_likes (event_id, comment_id, liker_id) VALUES ($1, $2, $3)
                    ON CONFLICT DO NOTHING
                    """, [like.eventId, like.commentId, like.likerId])
                guard inserted.affected > 0 else { return .success(LikeOutcome(likes: count.likes + count.added, changed: false)) }
                counts[key]!.added += 1
                return .success(LikeOutcome(likes: count.likes + count.added + 1, changed: true))
            }
            for (key, count) in counts where count.added > 0 {
                try db.query(
                    "UPDATE comments SET likes = likes + $3 WHERE event_id = $1 AND id = $2", [key.eventId, key.commentId, count.added])
            }
            return outcomes
        }
    }

    public func appendModerationLog(_ entry: NewModerationLogEntry) throws {
        let inserted = try self.pool.withConnection { db in
            try db.query(
                """
                INSERT INTO moderation_log (event_id, actor, action, target, detail, created_at)
                SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM events WHERE id = $1)
                """,
                [
                    entry.eventId, entry.actor.rawValue, entry.action.rawValue, entry.target, entry.detail,
                    entry.createdAt,
                ])
        }
        guard inserted.affected == 1 else { throw WebinarError.eventNotFound }
    }

    public func moderationLog(eventId: Int64) throws -> [ModerationLogEntry] {
        try self.pool.withConnection { db in
            try db.query("SELECT * FROM moderation_log WHERE event_id = $1 ORDER BY id", [eventId]).all
                .map(PGRecords.logEntry)
        }
    }

    public func lastCommentId(eventId: Int64) throws -> Int64? {
        try self.pool.withConnection { db in
            guard
                let last = try db.query("SELECT last_comment_id FROM events WHERE id = $1", [eventId]).first?
                    .int64("last_comment_id"), last > 0
            else { return nil }
            return last
        }
    }

    /// Sets one boolean column of a comment and returns the comment, in one statement.
    private func update(eventId: Int64, id: Int64, column: String, _ value: Bool) throws -> Comment {
        try self.pool.withConnection { db in
            guard
                let row = try db.query(
                    "UPDATE comments SET \(column) = $3 WHERE event_id = $1 AND id = $2 RETURNING *", [eventId, id, value]
                ).first
            else { throw WebinarError.commentNotFound }
            return try PGRecords.comment(row)
        }
    }
}
