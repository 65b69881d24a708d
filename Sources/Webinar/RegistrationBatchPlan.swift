public import Foundation

/// A registration batch decided in Swift, request by request in order, with the rules of
/// ``WebinarStore/register(slug:name:email:now:)``, against the event rows the store loaded (and
/// locked) and the registrations already stored for the batch's emails.
///
/// Deciding everything before writing lets a store write the batch without savepoints (no domain
/// failure happens after a write): SQLite then journals no page twice within the transaction, and
/// PostgreSQL stores the batch with a few set-based statements instead of round trips per request.
public struct RegistrationBatchPlan: Sendable {
    /// An event as loaded for the batch, with the arrival counter that orders its queue.
    public struct EventRow: Sendable {
        public var event: Event
        public var lastQueue: Int64

        public init(event: Event, lastQueue: Int64) {
            self.event = event
            self.lastQueue = lastQueue
        }
    }

    /// One request that passed validation and names an existing event.
    public struct Candidate: Sendable {
        public var new: NewRegistration
        public var eventId: Int64
        /// The key the store's unique (event, email) index compares: the normalized email in SQLite,
        /// PostgreSQL's `lower(btrim(email))`.
        public var emailKey: String
        /// The registration stored before the batch under that key, with its waitlist place.
        public var stored: Registration?

        public init(new: NewRegistration, eventId: Int64, emailKey: String, stored: Registration?) {
            self.new = new
            self.eventId = eventId
            self.emailKey = emailKey
            self.stored = stored
        }
    }

    /// A row this batch inserts; its id is known only after the INSERT.
    public struct Insert: Sendable {
        /// With its new ticket code, which only its mail keeps.
        public var registration: Registration
        /// What the store keeps of that code (``SecretCode/hash(_:)``), hashed once here.
        public var codeHash: String
        public var queue: Int64
    }

    /// A cancelled registration this batch brings back at the end of the queue, with a new code (the
    /// store has only the old one's hash, and whoever cancelled need not be who comes back).
    public struct Reactivation: Sendable {
        public var id: Int64
        public var code: String
        public var name: String
        public var status: RegistrationStatus
        public var queue: Int64
        /// The waitlist place it comes back at (nil with a ticket), for its mail.
        public var position: Int?
    }

    /// What a request comes to; a row of `inserts` is named by its index until its id is known.
    public enum Decision: Sendable {
        case failed(WebinarError)
        case stored(Registration, created: Bool)
        case inserted(Int, created: Bool)
    }

    /// The registration an (event, email key) has as far as the batch got.
    private enum Current {
        case stored(Registration)
        case inserted(Int)
    }

    /// Compared byte for byte, as a unique index compares (Swift's `String` equality would also merge
    /// canonically equivalent spellings, which the databases keep apart).
    private struct Key: Hashable {
        var eventId: Int64
        var email: [UInt8]
    }

    /// The event rows with the batch's running counters.
    public private(set) var events: [Int64: EventRow]
    /// Ids of the events whose counters changed, in id order.
    public var changedEvents: [Int64] { self.changed.sorted() }
    public private(set) var inserts: [Insert] = []
    public private(set) var reactivations: [Reactivation] = []
    public private(set) var decisions: [Decision] = []
    private var changed: Set<Int64> = []
    private var current: [Key: Current] = [:]

    public init(events: [EventRow]) {
        self.events = Dictionary(events.map { ($0.event.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Records a request that fails before reaching the store's rules (validation, unknown event).
    public mutating func fail(_ error: WebinarError) {
        self.decisions.append(.failed(error))
    }

    /// Decides `candidate` after every earlier request of the batch.
    public mutating func decide(_ candidate: Candidate, now: Date) {
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

        let status = RegistrationPlan.register(&row.event)
        row.lastQueue += 1
        self.events[candidate.eventId] = row
        self.changed.insert(candidate.eventId)
        let position = status == .waitlisted ? row.event.waitlistLength : nil

        if case .stored(var registration) = known {
            // A cancelled registration comes back at the end of the queue, with a new code.
            let code = SecretCode.make(.ticketCode)
            registration.code = code
            registration.name = candidate.new.name
            registration.status = status
            registration.position = position
            registration.offerExpiresAt = nil
            self.reactivations.append(
                Reactivation(
                    id: registration.id, code: code, name: registration.name, status: status, queue: row.lastQueue,
                    position: position))
            self.current[key] = .stored(registration)
            self.decisions.append(.stored(registration, created: true))
            return
        }
        let code = SecretCode.make(.ticketCode)
        let registration = Registration(
            id: 0, eventId: candidate.eventId, eventSlug: row.event.slug, code: code,
            authorId: SecretCode.authorId(), name: candidate.new.name, email: candidate.new.email, status: status,
            position: position, createdAt: now)
        self.inserts.append(Insert(registration: registration, codeHash: SecretCode.hash(code), queue: row.lastQueue))
        self.current[key] = .inserted(self.inserts.count - 1)
        self.decisions.append(.inserted(self.inserts.count - 1, created: true))
    }

    /// The store wrote a different number of rows than the plan inserts.
    public struct MissingIDs: Error, CustomStringConvertible {
        public var description: String
    }

    /// Every request's result, in order, once the inserted rows' ids are known (`insertedIds[i]` is
    /// the id of `inserts[i]`). Only the request that created or reactivated a registration gets its
    /// code: the same email again (in this batch or later) learns the status and place, never the code.
    public func results(insertedIds: [Int64]) throws(MissingIDs) -> [Result<RegistrationOutcome, WebinarError>] {
        guard insertedIds.count == self.inserts.count else {
            throw MissingIDs(description: "the store returned \(insertedIds.count) ids for \(self.inserts.count) new registrations")
        }
        return self.decisions.map { decision in
            switch decision {
            case .failed(let error):
                return .failure(error)
            case .stored(var registration, let created):
                if !created { registration.code = nil }
                return .success((registration, created))
            case .inserted(let index, let created):
                var registration = self.inserts[index].registration
                registration.id = insertedIds[index]
                if !created { registration.code = nil }
                return .success((registration, created))
            }
        }
    }
}
