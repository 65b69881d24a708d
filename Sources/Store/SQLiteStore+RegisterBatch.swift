import Foundation
import GRDB
import Webinar

extension SQLiteStore {
    /// One `dbPool.write` for the whole batch; each request runs in its own savepoint, so a domain
    /// failure rolls back only that request and the transaction goes on with the next.
    public func registerBatch(_ requests: [RegistrationRequest], now: Date) throws
        -> [Result<RegistrationOutcome, WebinarError>]
    {
        guard !requests.isEmpty else { return [] }
        let validated = requests.map { request in
            Result { () throws(WebinarError) in try NewRegistration(name: request.name, email: request.email) }
        }
        return try self.dbPool.write { db in
            var results: [Result<RegistrationOutcome, WebinarError>] = []
            results.reserveCapacity(requests.count)
            for (request, new) in zip(requests, validated) {
                guard case .success(let new) = new else {
                    if case .failure(let error) = new { results.append(.failure(error)) }
                    continue
                }
                var outcome: RegistrationOutcome?
                do {
                    try db.inSavepoint {
                        outcome = try Self.registerOne(db, slug: request.slug, new: new, now: now)
                        return .commit
                    }
                } catch let error as WebinarError {
                    results.append(.failure(error))
                    continue
                }
                results.append(.success(outcome!))
            }
            return results
        }
    }

    /// Registers `new` inside the caller's transaction: the same rules as ``WebinarStore/register(slug:name:email:now:)``.
    /// Every domain failure is thrown before anything is written.
    private static func registerOne(_ db: Database, slug: String, new: NewRegistration, now: Date) throws
        -> RegistrationOutcome
    {
        guard var event = try Self.fetchEvent(db, slug: slug), let eventId = event.id else {
            throw WebinarError.eventNotFound
        }
        let existing = try RegistrationRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM registrations WHERE event_id = ? AND email = ?"),
            arguments: [eventId, new.email])
        if let existing, existing.registrationStatus != .cancelled {
            return (try Self.withPosition(db, existing, slug: slug), false)
        }
        guard event.registrationOpen else { throw WebinarError.registrationClosed }

        let status = event.event.nextRegistrationStatus
        event.lastQueue += 1
        if status == .ticketed { event.ticketsIssued += 1 } else { event.waitlistLength += 1 }
        try Self.saveCounters(db, event)
        let position = status == .waitlisted ? event.waitlistLength : nil

        if var record = existing {
            // A cancelled registration comes back at the end of the queue, keeping its code.
            record.name = new.name
            record.status = status.rawValue
            record.queue = event.lastQueue
            try record.update(db)
            try Self.queueMail(db, eventId: eventId, registrationId: record.id!, kind: MailKind.afterRegistering(status)!, position: position, now: now)
            return (record.registration(slug: slug, position: position), true)
        }
        var record = RegistrationRecord(
            id: nil, eventId: eventId, code: SecretCode.make(.ticketCode), authorId: SecretCode.authorId(), name: new.name,
            email: new.email, status: status.rawValue, queue: event.lastQueue, createdAt: now)
        try Self.insert(db, &record)
        try Self.queueMail(db, eventId: eventId, registrationId: record.id!, kind: MailKind.afterRegistering(status)!, position: position, now: now)
        return (record.registration(slug: slug, position: position), true)
    }
}
