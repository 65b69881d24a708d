import Foundation
import Webinar

extension PostgresStore {
    /// One transaction for the whole batch; each request runs in its own savepoint, so a domain failure
    /// rolls back only that request and the transaction goes on with the next (as `SQLiteStore` does).
    /// Every event the batch names is locked up front, in id order, so concurrent batches never deadlock.
    public func registerBatch(_ requests: [RegistrationRequest], now: Date) throws
        -> [Result<RegistrationOutcome, WebinarError>]
    {
        guard !requests.isEmpty else { return [] }
        let validated = requests.map { request in
            Result { () throws(WebinarError) in try NewRegistration(name: request.name, email: request.email) }
        }
        let slugs = Set(requests.map(\.slug).filter(Self.findable)).sorted()
        return try self.pool.transaction { db in
            try db.query("SELECT id FROM events WHERE slug = ANY($1::text[]) ORDER BY id FOR UPDATE", [PGArray(slugs)])
            var results: [Result<RegistrationOutcome, WebinarError>] = []
            results.reserveCapacity(requests.count)
            for (request, new) in zip(requests, validated) {
                guard case .success(let new) = new else {
                    if case .failure(let error) = new { results.append(.failure(error)) }
                    continue
                }
                do {
                    let outcome = try db.savepoint("request") {
                        try Self.registerOne(db, slug: request.slug, new: new, now: now)
                    }
                    results.append(.success(outcome))
                } catch let error as WebinarError {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    /// Registers `new` inside the caller's transaction, which holds the event's lock: the rules of
    /// ``WebinarStore/register(slug:name:email:now:)``. Every domain failure is thrown before any write.
    private static func registerOne(_ db: PGConnection, slug: String, new: NewRegistration, now: Date) throws
        -> RegistrationOutcome
    {
        guard Self.findable(slug), let row = try Self.fetchEvent(db, slug: slug, lock: true) else {
            throw WebinarError.eventNotFound
        }
        var event = row.event
        let existing = try db.query(
            Self.registrationWithPosition + " WHERE r.event_id = $1 AND lower(btrim(r.email)) = lower(btrim($2))",
            [event.id, new.email]
        ).first.map(Self.registration)
        if let existing, existing.status != .cancelled { return (existing, false) }
        guard event.registrationOpen else { throw WebinarError.registrationClosed }

        let status = event.nextRegistrationStatus
        let queue = row.lastQueue + 1
        if status == .ticketed { event.ticketsIssued += 1 } else { event.waitlistLength += 1 }
        try Self.saveCounters(db, event, lastQueue: queue)
        let position = status == .waitlisted ? event.waitlistLength : nil

        if var registration = existing {
            // A cancelled registration comes back at the end of the queue, keeping its code.
            try db.query(
                "UPDATE registrations SET name = $2, status = $3, queue = $4 WHERE id = $1",
                [registration.id, new.name, status.rawValue, queue])
            registration.name = new.name
            registration.status = status
            registration.position = position
            return (registration, true)
        }
        let code = SecretCode.code()
        let authorId = SecretCode.authorId()
        let id = try db.query(
            """
            INSERT INTO registrations (event_id, code, author_id, name, email, status, queue, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """,
            [event.id, code, authorId, new.name, new.email, status.rawValue, queue, now]
        ).first?.int64("id")
        guard let id else { throw PGError("INSERT INTO registrations returned no id") }
        let registration = Registration(
            id: id, eventId: event.id, eventSlug: slug, code: code, authorId: authorId, name: new.name,
            email: new.email, status: status, position: position, createdAt: now)
        return (registration, true)
    }
}
