import Foundation
import GRDB
import Webinar

/// A row of `comments`, keyed by (event_id, id); `id` comes from `events.last_comment_id`.
/// Mapped by hand, not `Codable`: comments are written in batches and read in pages of hundreds.
struct CommentRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "comments"

    var eventId: Int64
    var id: Int64
    var authorId: String
    var author: String
    var text: String
    var replyTo: Int64?
    var likes: Int
    var pinned: Bool
    var hidden: Bool
    var status: String
    var createdAt: Date
    var kind: String
    var questionState: String?

    enum Columns {
        static let eventId = Column("event_id")
        static let id = Column("id")
        static let hidden = Column("hidden")
        static let status = Column("status")
        static let kind = Column("kind")
        static let questionState = Column("question_state")
    }

    init(_ comment: Comment) {
        self.eventId = comment.eventId
        self.id = comment.id
        self.authorId = comment.authorId
        self.author = comment.author
        self.text = comment.text
        self.replyTo = comment.replyTo
        self.likes = comment.likes
        self.pinned = comment.pinned
        self.hidden = comment.hidden
        self.status = comment.status.rawValue
        self.createdAt = comment.createdAt
        self.kind = comment.kind.rawValue
        self.questionState = comment.questionState?.rawValue
    }

    var comment: Comment {
        Comment(
            eventId: self.eventId, id: self.id, authorId: self.authorId, author: self.author, text: self.text,
            replyTo: self.replyTo, likes: self.likes, pinned: self.pinned, hidden: self.hidden,
            status: CommentStatus(rawValue: self.status) ?? .held, createdAt: self.createdAt,
            kind: CommentKind(rawValue: self.kind) ?? .comment, questionState: self.questionState.flatMap(QuestionState.init(rawValue:)))
    }

    init(row: Row) {
        self.eventId = row["event_id"]
        self.id = row["id"]
        self.authorId = row["author_id"]
        self.author = row["author"]
        self.text = row["text"]
        self.replyTo = row["reply_to"]
        self.likes = row["likes"]
        self.pinned = row["pinned"]
        self.hidden = row["hidden"]
        self.status = row["status"]
        self.createdAt = Date(timeIntervalSince1970: row["created_at"])
        self.kind = row["kind"]
        self.questionState = row["question_state"]
    }

    func encode(to container: inout PersistenceContainer) {
        container["event_id"] = self.eventId
        container["id"] = self.id
        container["author_id"] = self.authorId
        container["author"] = self.author
        container["text"] = self.text
        container["reply_to"] = self.replyTo
        container["likes"] = self.likes
        container["pinned"] = self.pinned
        container["hidden"] = self.hidden
        container["status"] = self.status
        container["created_at"] = self.createdAt.timeIntervalSince1970
        container["kind"] = self.kind
        container["question_state"] = self.questionState
    }
}
