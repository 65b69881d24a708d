import Foundation
public import Webinar

/// What the node-to-node bus needs from the database beyond ``WebinarStore``: sending a notification,
/// and reading the comments committed after an id as one consistent snapshot.
extension PostgresStore {
    /// A page of committed comments and how far it reaches.
    public struct CommittedComments: Sendable {
        /// Every comment (held and hidden ones too) with `after < id <= through`, in id order.
        public var comments: [Comment]
        /// Everything up to here is in `comments` or no longer exists (an approved comment moved to a
        /// new id): the next read starts after it.
        public var through: Int64
    }

    /// `NOTIFY channel, payload` through the pool (payloads must stay under 8000 bytes).
    public func notify(channel: String, payload: String) throws {
        _ = try self.pool.withConnection { db in try db.query("SELECT pg_notify($1, $2)", [channel, payload]) }
    }

    /// The comments after `after`, read in ONE statement together with the event's id counter: the
    /// counter and the comments it numbers commit in one transaction, so what this snapshot shows up to
    /// the counter is complete (no gap a later commit could fill).
    public func committedComments(eventId: Int64, after: Int64, limit: Int) throws -> CommittedComments {
        try self.pool.withConnection { db in
            let rows = try db.query(
                """
                SELECT e.last_comment_id AS through, c.* FROM events e
                LEFT JOIN LATERAL (SELECT * FROM comments WHERE event_id = e.id AND id > $2
                    AND id <= e.last_comment_id ORDER BY id LIMIT $3) c ON true
                WHERE e.id = $1
                """, [eventId, after, limit]
            ).all
            guard let first = rows.first else { return CommittedComments(comments: [], through: after) }
            var comments: [Comment] = []
            for row in rows {
                guard try row.optionalInt64("id") != nil else { continue }  // the LEFT JOIN's empty side
                comments.append(try PGRecords.comment(row))
            }
            let counter = max(try first.int64("through"), after)
            // A full page may stop short of the counter: the next read continues after its last row.
            let through = comments.count == limit ? comments.last!.id : counter
            return CommittedComments(comments: comments, through: through)
        }
    }
}
