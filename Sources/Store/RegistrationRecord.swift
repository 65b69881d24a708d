import Foundation
import GRDB
import Webinar

/// A row of `registrations`. `queue` is the event's arrival counter: waitlist order is `queue` order among
/// waitlisted rows, served by the index on (event_id, status, queue).
struct RegistrationRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "registrations"

    var id: Int64?
    var eventId: Int64
    var code: String
    var authorId: String
    var name: String
    var email: String
    var status: String
    var queue: Int64
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, code, name, email, status, queue
        case eventId = "event_id"
        case authorId = "author_id"
        case createdAt = "created_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let eventId = Column(CodingKeys.eventId)
        static let code = Column(CodingKeys.code)
        static let email = Column(CodingKeys.email)
        static let status = Column(CodingKeys.status)
        static let queue = Column(CodingKeys.queue)
    }

    var registrationStatus: RegistrationStatus { RegistrationStatus(rawValue: self.status) ?? .cancelled }

    func registration(slug: String, position: Int?) -> Registration {
        Registration(
            id: self.id ?? 0, eventId: self.eventId, eventSlug: slug, code: self.code, authorId: self.authorId,
            name: self.name, email: self.email, status: self.registrationStatus,
            position: self.registrationStatus == .waitlisted ? position : nil, createdAt: self.createdAt)
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
