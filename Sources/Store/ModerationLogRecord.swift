import Foundation
import GRDB
import Webinar

/// A row of `moderation_log`.
struct ModerationLogRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "moderation_log"

    var id: Int64?
    var eventId: Int64
    var actor: String
    var action: String
    var target: String?
    var detail: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, actor, action, target, detail
        case eventId = "event_id"
        case createdAt = "created_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let eventId = Column(CodingKeys.eventId)
    }

    init(_ entry: NewModerationLogEntry) {
        self.id = nil
        self.eventId = entry.eventId
        self.actor = entry.actor.rawValue
        self.action = entry.action.rawValue
        self.target = entry.target
        self.detail = entry.detail
        self.createdAt = entry.createdAt
    }

    var entry: ModerationLogEntry {
        ModerationLogEntry(
            id: self.id ?? 0, eventId: self.eventId, actor: Moderator(rawValue: self.actor) ?? .host,
            action: ModerationAction(rawValue: self.action) ?? .hide, target: self.target, detail: self.detail,
            createdAt: self.createdAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }

    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }
}
