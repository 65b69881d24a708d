public import Foundation
import GRDB
public import Webinar

extension SQLiteStore {
    /// One `dbPool.write` for the whole batch: each event is read once, each request's stored
    /// registration once, every request is decided in Swift (``RegistrationBatchPlan``), then the rows,
    /// their mail and the counters are written. No domain failure can happen after a write, so no
    /// request needs a savepoint of its own: SQLite copies no page into a statement journal, which is
    /// what made each outbox row cost as much as its registration.
    public func registerBatch(_ requests: [RegistrationRequest], now: Date) throws
        -> [Result<RegistrationOutcome, WebinarError>]
    {
        guard !requests.isEmpty else { return [] }
        let validated = requests.map(\.registrant)
        return try self.dbPool.write { db in
            var events: [String: EventRecord] = [:]
            for slug in Set(requests.map(\.slug)) {
                events[slug] = try Self.fetchEvent(db, slug: slug)
            }
            var plan = RegistrationBatchPlan(
                events: events.values.compactMap { record in
                    record.id.map { _ in RegistrationBatchPlan.EventRow(event: record.event, lastQueue: record.lastQueue) }
                })
            for (request, new) in zip(requests, validated) {
                switch new {
                case .failure(let error):
                    plan.fail(error)
                case .success(let new):
                    guard let event = events[request.slug], let eventId = event.id else {
                        plan.fail(.eventNotFound)
                        continue
                    }
                    plan.decide(
                        .init(new: new, eventId: eventId, emailKey: new.email, stored: try Self.stored(db, event, new.email)),
                        now: now)
                }
            }
            let ids = try Self.write(db, plan, now: now)
            return try plan.results(insertedIds: ids)
        }
    }

    /// The registration stored under (event, email) before the batch, with its waitlist place.
    private static func stored(_ db: Database, _ event: EventRecord, _ email: String) throws -> Registration? {
        let existing = try RegistrationRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM registrations WHERE event_id = ? AND email = ?"),
            arguments: [event.id, email])
        return try existing.map { try Self.withPosition(db, $0, slug: event.slug) }
    }

    /// Writes what `plan` decided: the counters of each changed event, reactivated and new rows, and
    /// each one's mail, in request order; returns the new rows' ids in `plan.inserts` order.
    private static func write(_ db: Database, _ plan: RegistrationBatchPlan, now: Date) throws -> [Int64] {
        for id in plan.changedEvents {
            guard let row = plan.events[id] else { continue }
            try Self.saveCounters(
                db, eventId: id, ticketsIssued: row.event.ticketsIssued, waitlistLength: row.event.waitlistLength,
                lastQueue: row.lastQueue)
        }
        for back in plan.reactivations {
            try db.cachedStatement(
                sql: "UPDATE registrations SET code_hash = ?, name = ?, status = ?, queue = ?, offer_expires_at = NULL WHERE id = ?"
            )
            .execute(arguments: [SecretCode.hash(back.code), back.name, back.status.rawValue, back.queue, back.id])
        }
        var ids: [Int64] = []
        ids.reserveCapacity(plan.inserts.count)
        for insert in plan.inserts {
            let registration = insert.registration
            var record = RegistrationRecord(
                id: nil, eventId: registration.eventId, codeHash: insert.codeHash, authorId: registration.authorId,
                name: registration.name, email: registration.email, status: registration.status.rawValue,
                queue: insert.queue, createdAt: registration.createdAt)
            try Self.insert(db, &record)
            ids.append(db.lastInsertedRowID)
        }
        // The mail of every request that registered, in request order.
        for decision in plan.decisions {
            switch decision {
            case .stored(let registration, created: true):
                try Self.queueMail(db, for: registration, id: registration.id, now: now)
            case .inserted(let index, created: true):
                try Self.queueMail(db, for: plan.inserts[index].registration, id: ids[index], now: now)
            case .failed, .stored, .inserted:
                continue
            }
        }
        return ids
    }

    /// Queues the mail a new or reactivated registration's status calls for.
    private static func queueMail(_ db: Database, for registration: Registration, id: Int64, now: Date) throws {
        guard let kind = MailKind.afterRegistering(registration.status) else { return }
        try Self.queueMail(
            db, eventId: registration.eventId, registrationId: id, kind: kind, position: registration.position,
            linkSecret: registration.code, now: now)
    }
}
