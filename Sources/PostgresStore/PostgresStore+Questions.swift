import Foundation
public import Webinar

extension PostgresStore {
    /// Locks the event row first (as comments and approvals do), so two nodes marking different
    /// questions `answering` take turns and the one-answering rule holds across the cluster.
    public func setQuestionState(eventId: Int64, id: Int64, _ state: QuestionState) throws -> QuestionStateChange {
        try self.pool.transaction { db in
            guard try db.query("SELECT id FROM events WHERE id = $1 FOR UPDATE", [eventId]).first != nil else {
                throw WebinarError.commentNotFound
            }
            guard let row = try db.query("SELECT * FROM comments WHERE event_id = $1 AND id = $2", [eventId, id]).first else {
                throw WebinarError.commentNotFound
            }
            let current = try PGRecords.comment(row)
            guard current.kind == .question else { throw WebinarError.notAQuestion }
            var previous: Comment?
            if state == .answering, current.questionState != .answering {
                previous = try db.query(
                    """
                    UPDATE comments SET question_state = 'answered'
                    WHERE event_id = $1 AND question_state = 'answering' RETURNING *
                    """, [eventId]
                ).first.map(PGRecords.comment)
            }
            guard
                let updated = try db.query(
                    "UPDATE comments SET question_state = $3 WHERE event_id = $1 AND id = $2 RETURNING *", [eventId, id, state.rawValue]
                ).first
            else { throw WebinarError.commentNotFound }
            return QuestionStateChange(question: try PGRecords.comment(updated), previous: previous)
        }
    }

    public func pinnedIds(eventId: Int64) throws -> [Int64] {
        try self.pool.withConnection { db in
            try db.query(
                "SELECT id FROM comments WHERE event_id = $1 AND pinned AND NOT hidden AND status = 'visible' ORDER BY id", [eventId]
            ).all.map { try $0.int64("id") }
        }
    }

    public func questions(eventId: Int64) throws -> [Comment] {
        try self.pool.withConnection { db in
            try db.query(
                """
                SELECT * FROM comments WHERE event_id = $1 AND kind = 'question' AND NOT hidden AND status = 'visible'
                ORDER BY id
                """, [eventId]
            ).all.map(PGRecords.comment)
        }
    }
}
