import Foundation
import GRDB
public import Webinar

extension SQLiteStore {
    public func setQuestionState(eventId: Int64, id: Int64, _ state: QuestionState) throws -> QuestionStateChange {
        try self.dbPool.write { db in
            guard var record = try CommentRecord.fetchOne(db, key: ["event_id": eventId, "id": id]) else {
                throw WebinarError.commentNotFound
            }
            guard record.kind == CommentKind.question.rawValue else { throw WebinarError.notAQuestion }
            var previous: CommentRecord?
            if state == .answering, record.questionState != QuestionState.answering.rawValue {
                previous =
                    try CommentRecord
                    .filter(
                        CommentRecord.Columns.eventId == eventId && CommentRecord.Columns.questionState == QuestionState.answering.rawValue
                    )
                    .fetchOne(db)
                if var moved = previous {
                    moved.questionState = QuestionState.answered.rawValue
                    try moved.update(db)
                    previous = moved
                }
            }
            record.questionState = state.rawValue
            try record.update(db)
            return QuestionStateChange(question: record.comment, previous: previous?.comment)
        }
    }

    public func pinnedIds(eventId: Int64) throws -> [Int64] {
        try self.dbPool.read { db in
            try Int64.fetchAll(
                db,
                sql: "SELECT id FROM comments WHERE event_id = ? AND pinned = 1 AND hidden = 0 AND status = 'visible' ORDER BY id",
                arguments: [eventId])
        }
    }

    public func questions(eventId: Int64) throws -> [Comment] {
        try self.dbPool.read { db in
            try CommentRecord
                .filter(
                    CommentRecord.Columns.eventId == eventId && CommentRecord.Columns.kind == CommentKind.question.rawValue
                        && CommentRecord.Columns.hidden == false && CommentRecord.Columns.status == CommentStatus.visible.rawValue
                )
                .order(CommentRecord.Columns.id)
                .fetchAll(db)
                .map(\.comment)
        }
    }
}
