public import Foundation
import Synchronization
public import Webinar

/// ``WebinarStore`` in memory, for unit tests and rehearsals: the same behaviour as ``SQLiteStore``
/// (the same tests run against both), with every call one critical section behind a `Mutex`, the way
/// every SQLite call is one transaction.
public final class InMemoryStore: WebinarStore {
    let state = Mutex(InMemoryState())

    public init() {}

    public func createEvent(_ new: NewEvent, hostKeyHash: String, now: Date) throws -> Event {
        let valid = try new.validated()
        return try self.state.withLock { (state) throws(WebinarError) in
            var slug: String
            if let given = valid.slug {
                guard state.eventIds[given] == nil else { throw .slugTaken(given) }
                slug = given
            } else {
                let base = Slug.derive(from: valid.title)
                slug = base
                while state.eventIds[slug] != nil { slug = Slug.suffixed(base, suffix: Slug.randomSuffix()) }
            }
            let event = valid.event(id: state.nextEventId, slug: slug, createdAt: now)
            state.nextEventId += 1
            state.events[event.id] = .init(event: event, hostKeyHash: hostKeyHash)
            state.eventIds[slug] = event.id
            return event
        }
    }

    public func event(slug: String) throws -> Event? {
        self.state.withLock { state in state.eventIds[slug].flatMap { state.events[$0]?.event } }
    }

    public func events() throws -> [Event] {
        self.state.withLock { state in
            state.events.values.map(\.event).sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) }
        }
    }

    public func hostKeyHash(slug: String) throws -> String? {
        self.state.withLock { state in state.eventIds[slug].flatMap { state.events[$0]?.hostKeyHash } }
    }

    public func updateEvent(slug: String, patch: EventPatch, now: Date) throws
        -> (event: Event, promoted: [Registration])
    {
        try self.state.withLock { (state) throws(WebinarError) in
            guard let id = state.eventIds[slug], let row = state.events[id] else { throw .eventNotFound }
            let next = try patch.applied(to: row.event)
            state.events[id]?.event = next
            if next.startsAt != row.event.startsAt || next.endsAt != row.event.endsAt {
                state.events[id]?.scheduleSequence += 1
                state.queueMailToTicketHolders(eventId: id, kind: .rescheduled, now: now)
            }
            let waiting = state.waitingHead(eventId: id, count: RegistrationPlan.waitingNeeded(next, freeing: 0))
            let promoted = state.apply(RegistrationPlan.capacityChanged(next, waiting: waiting, now: now), eventId: id, now: now)
            return (state.events[id]!.event, promoted)
        }
    }

    /// One critical section for the whole batch, like one SQLite transaction, decided by
    /// ``RegistrationBatchPlan`` as in every store (``InMemoryState/registerBatch(_:now:)``).
    public func registerBatch(_ requests: [RegistrationRequest], now: Date) throws
        -> [Result<RegistrationOutcome, WebinarError>]
    {
        try self.state.withLock { state in try state.registerBatch(requests, now: now) }
    }

    public func registration(code: String) throws -> Registration? {
        self.state.withLock { state in state.registrationIdsByCodeHash[SecretCode.hash(code)].flatMap { state.withPosition($0) } }
    }

    public func cancel(code: String, now: Date) throws -> (registration: Registration, promoted: Registration?) {
        try self.state.withLock { (state) throws(WebinarError) in
            let row = try state.planRow(code: code)
            guard let eventId = state.registrations[row.id]?.registration.eventId, let event = state.events[eventId]?.event else {
                throw .eventNotFound
            }
            let freeing = row.status == .ticketed || row.status == .offered ? 1 : 0
            let waiting = state.waitingHead(eventId: eventId, count: RegistrationPlan.waitingNeeded(event, freeing: freeing))
            let promoted = state.apply(RegistrationPlan.cancel(row, event: event, waiting: waiting, now: now), eventId: eventId, now: now)
            return (state.registrations[row.id]!.registration, promoted.first)
        }
    }

    public func claimOffer(code: String, now: Date) throws -> Registration {
        try self.state.withLock { (state) throws(WebinarError) in
            let row = try state.planRow(code: code)
            guard let eventId = state.registrations[row.id]?.registration.eventId, let event = state.events[eventId]?.event else {
                throw .eventNotFound
            }
            _ = state.apply(try RegistrationPlan.claim(row, event: event, now: now), eventId: eventId, now: now)
            return state.withPosition(row.id)!
        }
    }

    public func declineOffer(code: String, now: Date) throws -> (registration: Registration, promoted: Registration?) {
        try self.state.withLock { (state) throws(WebinarError) in
            let row = try state.planRow(code: code)
            guard let eventId = state.registrations[row.id]?.registration.eventId, let event = state.events[eventId]?.event else {
                throw .eventNotFound
            }
            let waiting = state.waitingHead(eventId: eventId, count: RegistrationPlan.waitingNeeded(event, freeing: 1))
            let changes = try RegistrationPlan.decline(row, event: event, waiting: waiting, now: now)
            let promoted = state.apply(changes, eventId: eventId, now: now)
            return (state.registrations[row.id]!.registration, promoted.first)
        }
    }

    public func expireOffers(now: Date) throws -> [Registration] {
        self.state.withLock { state in
            var promoted: [Registration] = []
            for eventId in state.events.keys.sorted() {
                guard let event = state.events[eventId]?.event, event.offersOpen > 0 else { continue }
                let offers = (state.registrationIdsByEvent[eventId] ?? []).compactMap { state.planRow($0) }
                    .filter { $0.status == .offered && ($0.offerExpiresAt ?? now) <= now }
                guard !offers.isEmpty else { continue }
                let waiting = state.waitingHead(eventId: eventId, count: RegistrationPlan.waitingNeeded(event, freeing: offers.count))
                promoted += state.apply(
                    RegistrationPlan.expire(offers, event: event, waiting: waiting, now: now), eventId: eventId, now: now)
            }
            return promoted
        }
    }

    public func registrations(slug: String) throws -> [Registration] {
        try self.state.withLock { (state) throws(WebinarError) in
            guard let eventId = state.eventIds[slug] else { throw .eventNotFound }
            return (state.registrationIdsByEvent[eventId] ?? []).compactMap { state.withPosition($0) }
        }
    }
}
