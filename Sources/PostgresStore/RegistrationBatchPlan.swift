import Foundation
import Webinar

/// A registration batch decided in Swift, request by request in order, with the rules of
/// ``WebinarStore/register(slug:name:email:now:)``, against the locked event rows and the registrations
/// already stored for the batch's emails. Deciding everything before writing lets ``PostgresStore`` store
/// the batch with a few set-based statements instead of several round trips per request, and without
/// savepoints: no domain failure happens after a write.
struct RegistrationBatchPlan {
    /// One request that passed validation and names an existing event.
    struct Candidate {
        var new: NewRegistration
        var eventId: Int64
        /// PostgreSQL's `lower(btrim(email))` of the request's email: the unique index's key.
        var emailKey: String
        /// The registration stored before the batch under that key, with its waitlist place.
        var stored: Registration?
    }

    /// A row this batch inserts; its id is known only after the INSERT.
    struct Insert {
        var registration: Registration
        var queue: Int64
    }

    /// A cancelled registration this batch brings back at the end of the queue.
    struct Reactivation {
        var id: Int64
        var name: String
        var status: RegistrationStatus
        var queue: Int64
        /// The waitlist place it comes back at (nil with a ticket), for its mail.
        var position: Int?
    }

    /// What a request comes to; a row of `inserts` is named by its index until its id is known.
    enum Decision {
        case failed(WebinarError)
        case stored(Registration, created: Bool)
        case inserted(Int, created: Bool)
    }

    /// The registration an (event, email key) has as far as the batch got.
    private enum Current {
        case stored(Registration)
        case inserted(Int)
    }

    /// Compared byte for byte, as the unique index compares (Swift's `String` equality would also merge
    /// canonically equivalent spellings, which PostgreSQL keeps apart).
    private struct Key: Hashable {
        var eventId: Int64
        var email: [UInt8]
    }

    /// The event rows with the batch's running counters.
    private(set) var events: [Int64: PGRecords.EventRow]
    /// Ids of the events whose counters changed, in id order.
    var changedEvents: [Int64] { self.changed.sorted() }
    private(set) var inserts: [Insert] = []
    private(set) var reactivations: [Reactivation] = []
    private(set) var decisions: [Decision] = []
    private var changed: Set<Int64> = []
    private var current: [Key: Current] = [:]

    init(events: [PGRecords.EventRow]) {
        self.events = Dictionary(events.map { ($0.event.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Records a request that fails before reaching the store's rules (validation, unknown event).
    mutating func fail(_ error: WebinarError) {
        self.decisions.append(.failed(error))
    }

    /// Decides `candidate` after every earlier request of the batch.
    mutating func decide(_ candidate: Candidate, now: Date) {
        guard var row = self.events[candidate.eventId] else {
            self.decisions.append(.failed(.eventNotFound))
            return
        }
        let key = Key(eventId: candidate.eventId, email: Array(candidate.emailKey.utf8))
        let known = self.current[key] ?? candidate.stored.map(Current.stored)
        switch known {
        case .inserted(let index):
            self.decisions.append(.inserted(index, created: false))
            return
        case .stored(let registration) where registration.status != .cancelled:
            self.decisions.append(.stored(registration, created: false))
            return
        case .stored, nil:
            break
        }
        guard row.event.registrationOpen else {
            self.decisions.append(.failed(.registrationClosed))
            return
        }

        let status = row.event.nextRegistrationStatus
        row.lastQueue += 1
        if status == .ticketed { row.event.ticketsIssued += 1 } else { row.event.waitlistLength += 1 }
        self.events[candidate.eventId] = row
        self.changed.insert(candidate.eventId)
        let position = status == .waitlisted ? row.event.waitlistLength : nil

        if case .stored(var registration) = known {
            // A cancelled registration comes back at the end of the queue, keeping its code.
            registration.name = candidate.new.name
            registration.status = status
            registration.position = position
            self.reactivations.append(
                Reactivation(
                    id: registration.id, name: registration.name, status: status, queue: row.lastQueue, position: position))
            self.current[key] = .stored(registration)
            self.decisions.append(.stored(registration, created: true))
            return
        }
        let registration = Registration(
            id: 0, eventId: candidate.eventId, eventSlug: row.event.slug, code: SecretCode.make(.ticketCode),
            authorId: SecretCode.authorId(), name: candidate.new.name, email: candidate.new.email, status: status,
            position: position, createdAt: now)
        self.inserts.append(Insert(registration: registration, queue: row.lastQueue))
        self.current[key] = .inserted(self.inserts.count - 1)
        self.decisions.append(.inserted(self.inserts.count - 1, created: true))
    }

    /// Every request's result, in order, once the inserted rows' ids are known (`ids` by code).
    func results(ids: [String: Int64]) throws -> [Result<RegistrationOutcome, WebinarError>] {
        try self.decisions.map { decision in
            switch decision {
            case .failed(let error):
                return .failure(error)
            case .stored(let registration, let created):
                return .success((registration, created))
            case .inserted(let index, let created):
                var registration = self.inserts[index].registration
                guard let id = ids[registration.code] else {
                    throw PGError("INSERT INTO registrations returned no id for a new registration")
                }
                registration.id = id
                return .success((registration, created))
            }
        }
    }
}
