import Foundation
import GRDB
import Webinar

/// A row of `comments`, keyed by (event_id, id); `id` comes from `events.last_comment_id`.
struct CommentRecord: Codable, FetchableRecord, PersistableRecord {
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

    enum CodingKeys: String, CodingKey {
        case id, author, text, likes, pinned, hidden, status
        case eventId = "event_id"
        case authorId = "author_id"
        case replyTo = "reply_to"
        case createdAt = "created_at"
    }

    enum Columns {
        static let eventId = Column(CodingKeys.eventId)
        static let id = Column(CodingKeys.id)
        static let hidden = Column(CodingKeys.hidden)
        static let status = Column(CodingKeys.status)
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
    }

    var comment: Comment {
        Comment(
            eventId: self.eventId, id: self.id, authorId: self.authorId, author: self.author, text: self.text,
            replyTo: self.replyTo, likes: self.likes, pinned: self.pinned, hidden: self.hidden,
            status: CommentStatus(rawValue: self.status) ?? .held, createdAt: self.createdAt)
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }

    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }
}
