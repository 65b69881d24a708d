import Foundation
import GRDB
import Webinar

/// A row of `registrations`. `queue` is the event's arrival counter: waitlist order is `queue` order among
/// waitlisted rows, served by the index on (event_id, status, queue).
/// Mapped by hand, not `Codable`, because registration is the hot path (see ``EventRecord``).
/// `codeHash` is the SHA-256 of the ticket code (``SecretCode/hash(_:)``): the code itself is never stored.
struct RegistrationRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "registrations"

    var id: Int64?
    var eventId: Int64
    var codeHash: String
    var authorId: String
    var name: String
    var email: String
    var status: String
    var queue: Int64
    var createdAt: Date
    var offerExpiresAt: Date?

    enum Columns {
        static let id = Column("id")
        static let eventId = Column("event_id")
        static let codeHash = Column("code_hash")
        static let email = Column("email")
        static let status = Column("status")
        static let queue = Column("queue")
    }

    var registrationStatus: RegistrationStatus { RegistrationStatus(rawValue: self.status) ?? .cancelled }

    /// The row as ``RegistrationPlan`` sees it.
    var planRow: RegistrationPlan.Row {
        RegistrationPlan.Row(id: self.id ?? 0, status: self.registrationStatus, queue: self.queue, offerExpiresAt: self.offerExpiresAt)
    }

    func registration(slug: String, position: Int?) -> Registration {
        Registration(
            id: self.id ?? 0, eventId: self.eventId, eventSlug: slug, code: nil, authorId: self.authorId,
            name: self.name, email: self.email, status: self.registrationStatus,
            position: self.registrationStatus == .waitlisted ? position : nil, createdAt: self.createdAt,
            offerExpiresAt: self.offerExpiresAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        self.id = inserted.rowID
    }

    init(
        id: Int64?, eventId: Int64, codeHash: String, authorId: String, name: String, email: String, status: String,
        queue: Int64, createdAt: Date, offerExpiresAt: Date? = nil
    ) {
        self.offerExpiresAt = offerExpiresAt
        self.id = id
        self.eventId = eventId
        self.codeHash = codeHash
        self.authorId = authorId
        self.name = name
        self.email = email
        self.status = status
        self.queue = queue
        self.createdAt = createdAt
    }

    init(row: Row) {
        self.id = row["id"]
        self.eventId = row["event_id"]
        self.codeHash = row["code_hash"]
        self.authorId = row["author_id"]
        self.name = row["name"]
        self.email = row["email"]
        self.status = row["status"]
        self.queue = row["queue"]
        self.createdAt = Date(timeIntervalSince1970: row["created_at"])
        self.offerExpiresAt = (row["offer_expires_at"] as Double?).map(Date.init(timeIntervalSince1970:))
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = self.id
        container["event_id"] = self.eventId
        container["code_hash"] = self.codeHash
        container["author_id"] = self.authorId
        container["name"] = self.name
        container["email"] = self.email
        container["status"] = self.status
        container["queue"] = self.queue
        container["created_at"] = self.createdAt.timeIntervalSince1970
        container["offer_expires_at"] = self.offerExpiresAt?.timeIntervalSince1970
    }
}
