import Foundation
import GRDB
import Webinar

/// A row of `events`: the event plus what only the store needs (host key hash, queue and comment counters).
///
/// `tickets_issued`, `offers_open` and `waitlist_length` are counters kept in the same transactions that change
/// registrations, so reading an event is one row, and the schema's `CHECK (tickets_issued <= capacity)`
/// guards the seat count itself.
///
/// Rows are mapped by hand rather than through `Codable`: decoding a row with `Codable` costs about ten
/// times the read itself, and events are read on every registration and public page view.
struct EventRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "events"

    var id: Int64?
    var slug: String
    var title: String
    var description: String
    var startsAt: Date
    var endsAt: Date?
    var timeZone: String?
    var capacity: Int
    var ticketsIssued: Int
    var offersOpen: Int
    var waitlistLength: Int
    var claimWindowMinutes: Int
    var lastQueue: Int64
    var registrationOpen: Bool
    var publicViewing: Bool
    var moderation: String
    var slowModeSeconds: Int
    var blockedWords: [String]
    var hostKeyHash: String
    var lastCommentId: Int64
    var createdAt: Date

    enum Columns {
        static let id = Column("id")
        static let slug = Column("slug")
        static let startsAt = Column("starts_at")
    }

    init(_ event: Event, hostKeyHash: String) {
        self.id = nil
        self.slug = event.slug
        self.title = event.title
        self.description = event.description
        self.startsAt = event.startsAt
        self.endsAt = event.endsAt
        self.timeZone = event.timeZone
        self.capacity = event.capacity
        self.ticketsIssued = event.ticketsIssued
        self.offersOpen = event.offersOpen
        self.waitlistLength = event.waitlistLength
        self.claimWindowMinutes = event.claimWindowMinutes
        self.lastQueue = 0
        self.registrationOpen = event.registrationOpen
        self.publicViewing = event.publicViewing
        self.moderation = event.moderation.rawValue
        self.slowModeSeconds = event.slowModeSeconds
        self.blockedWords = event.blockedWords
        self.hostKeyHash = hostKeyHash
        self.lastCommentId = 0
        self.createdAt = event.createdAt
    }

    /// Copies the fields a patch may change (and the counters) from `event`.
    mutating func update(from event: Event) {
        self.title = event.title
        self.description = event.description
        self.startsAt = event.startsAt
        self.endsAt = event.endsAt
        self.timeZone = event.timeZone
        self.capacity = event.capacity
        self.ticketsIssued = event.ticketsIssued
        self.offersOpen = event.offersOpen
        self.waitlistLength = event.waitlistLength
        self.claimWindowMinutes = event.claimWindowMinutes
        self.registrationOpen = event.registrationOpen
        self.publicViewing = event.publicViewing
        self.moderation = event.moderation.rawValue
        self.slowModeSeconds = event.slowModeSeconds
        self.blockedWords = event.blockedWords
    }

    var event: Event {
        Event(
            id: self.id ?? 0, slug: self.slug, title: self.title, description: self.description,
            startsAt: self.startsAt, endsAt: self.endsAt, timeZone: self.timeZone, capacity: self.capacity,
            ticketsIssued: self.ticketsIssued,
            waitlistLength: self.waitlistLength, registrationOpen: self.registrationOpen,
            publicViewing: self.publicViewing, moderation: ModerationMode(rawValue: self.moderation) ?? .review,
            slowModeSeconds: self.slowModeSeconds, blockedWords: self.blockedWords, createdAt: self.createdAt,
            offersOpen: self.offersOpen, claimWindowMinutes: self.claimWindowMinutes)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }

    init(row: Row) throws {
        self.id = row["id"]
        self.slug = row["slug"]
        self.title = row["title"]
        self.description = row["description"]
        self.startsAt = Date(timeIntervalSince1970: row["starts_at"])
        self.endsAt = (row["ends_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        self.timeZone = row["time_zone"]
        self.capacity = row["capacity"]
        self.ticketsIssued = row["tickets_issued"]
        self.offersOpen = row["offers_open"]
        self.waitlistLength = row["waitlist_length"]
        self.claimWindowMinutes = row["claim_window_minutes"]
        self.lastQueue = row["last_queue"]
        self.registrationOpen = row["registration_open"]
        self.publicViewing = row["public_viewing"]
        self.moderation = row["moderation"]
        self.slowModeSeconds = row["slow_mode_seconds"]
        self.blockedWords = try BlockedWordsColumn.decode(row["blocked_words"])
        self.hostKeyHash = row["host_key_hash"]
        self.lastCommentId = row["last_comment_id"]
        self.createdAt = Date(timeIntervalSince1970: row["created_at"])
    }

    func encode(to container: inout PersistenceContainer) throws {
        container["id"] = self.id
        container["slug"] = self.slug
        container["title"] = self.title
        container["description"] = self.description
        container["starts_at"] = self.startsAt.timeIntervalSince1970
        container["ends_at"] = self.endsAt?.timeIntervalSince1970
        container["time_zone"] = self.timeZone
        container["capacity"] = self.capacity
        container["tickets_issued"] = self.ticketsIssued
        container["waitlist_length"] = self.waitlistLength
        container["offers_open"] = self.offersOpen
        container["claim_window_minutes"] = self.claimWindowMinutes
        container["last_queue"] = self.lastQueue
        container["registration_open"] = self.registrationOpen
        container["public_viewing"] = self.publicViewing
        container["moderation"] = self.moderation
        container["slow_mode_seconds"] = self.slowModeSeconds
        container["blocked_words"] = try BlockedWordsColumn.encode(self.blockedWords)
        container["host_key_hash"] = self.hostKeyHash
        container["last_comment_id"] = self.lastCommentId
        container["created_at"] = self.createdAt.timeIntervalSince1970
    }
}
