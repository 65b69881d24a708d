import Foundation
import GRDB
import Webinar

/// A row of `events`: the event plus what only the store needs (host key hash, queue and comment counters).
///
/// `tickets_issued` and `waitlist_length` are counters kept in the same transactions that change
/// registrations, so reading an event is one row, and the schema's `CHECK (tickets_issued <= capacity)`
/// guards the seat count itself.
struct EventRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "events"

    var id: Int64?
    var slug: String
    var title: String
    var description: String
    var startsAt: Date
    var endsAt: Date?
    var capacity: Int
    var ticketsIssued: Int
    var waitlistLength: Int
    var lastQueue: Int64
    var registrationOpen: Bool
    var publicViewing: Bool
    var moderation: String
    var slowModeSeconds: Int
    var blockedWords: [String]
    var hostKeyHash: String
    var lastCommentId: Int64
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, slug, title, description, capacity, moderation
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case ticketsIssued = "tickets_issued"
        case waitlistLength = "waitlist_length"
        case lastQueue = "last_queue"
        case registrationOpen = "registration_open"
        case publicViewing = "public_viewing"
        case slowModeSeconds = "slow_mode_seconds"
        case blockedWords = "blocked_words"
        case hostKeyHash = "host_key_hash"
        case lastCommentId = "last_comment_id"
        case createdAt = "created_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let slug = Column(CodingKeys.slug)
        static let startsAt = Column(CodingKeys.startsAt)
    }

    init(_ event: Event, hostKeyHash: String) {
        self.id = nil
        self.slug = event.slug
        self.title = event.title
        self.description = event.description
        self.startsAt = event.startsAt
        self.endsAt = event.endsAt
        self.capacity = event.capacity
        self.ticketsIssued = event.ticketsIssued
        self.waitlistLength = event.waitlistLength
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
        self.capacity = event.capacity
        self.ticketsIssued = event.ticketsIssued
        self.waitlistLength = event.waitlistLength
        self.registrationOpen = event.registrationOpen
        self.publicViewing = event.publicViewing
        self.moderation = event.moderation.rawValue
        self.slowModeSeconds = event.slowModeSeconds
        self.blockedWords = event.blockedWords
    }

    var event: Event {
        Event(
            id: self.id ?? 0, slug: self.slug, title: self.title, description: self.description,
            startsAt: self.startsAt, endsAt: self.endsAt, capacity: self.capacity, ticketsIssued: self.ticketsIssued,
            waitlistLength: self.waitlistLength, registrationOpen: self.registrationOpen,
            publicViewing: self.publicViewing, moderation: ModerationMode(rawValue: self.moderation) ?? .review,
            slowModeSeconds: self.slowModeSeconds, blockedWords: self.blockedWords, createdAt: self.createdAt)
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
