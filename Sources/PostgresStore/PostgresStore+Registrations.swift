import Foundation
import Webinar

extension PostgresStore {
    /// The registration's columns, its event's slug and its current waitlist place, in one statement so
    /// the place is read from the same snapshot as the status.
    static let registrationWithPosition = """
        SELECT r.*, e.slug AS event_slug,
            CASE WHEN r.status = 'waitlisted' THEN (
                SELECT count(*) FROM registrations w
                WHERE w.event_id = r.event_id AND w.status = 'waitlisted' AND w.queue <= r.queue
            ) END AS position
        FROM registrations r JOIN events e ON e.id = r.event_id
        """

    public func registration(code: String) throws -> Registration? {
        guard Self.findable(code) else { return nil }
        return try self.pool.withConnection { db in
            guard let row = try db.query(Self.registrationWithPosition + " WHERE r.code_hash = $1", [SecretCode.hash(code)]).first else {
                return nil
            }
            return try Self.registration(row)
        }
    }

    public func cancel(code: String, now: Date) throws -> (registration: Registration, promoted: Registration?) {
        guard Self.findable(code) else { throw WebinarError.registrationNotFound }
        return try self.pool.transaction { db in
            guard let eventId = try db.query("SELECT event_id FROM registrations WHERE code_hash = $1", [SecretCode.hash(code)]).first?
                .int64("event_id")
            else { throw WebinarError.registrationNotFound }
            // Lock the event first, then read the registration again: a concurrent cancel may have won.
            guard var event = try db.query("SELECT * FROM events WHERE id = $1 FOR UPDATE", [eventId]).first
                .map(PGRecords.eventRow)?.event
            else { throw WebinarError.eventNotFound }
            guard let row = try db.query("SELECT * FROM registrations WHERE code_hash = $1", [SecretCode.hash(code)]).first else {
                throw WebinarError.registrationNotFound
            }
            let record = try PGRecords.registration(row, slug: event.slug, position: nil)
            guard record.status != .cancelled else { return (record, nil) }
            try db.query("UPDATE registrations SET status = 'cancelled' WHERE id = $1", [record.id])
            if record.status == .ticketed { event.ticketsIssued -= 1 } else { event.waitlistLength -= 1 }
            try Self.saveCounters(db, event)
            if let kind = MailKind.afterCancelling(record.status) {
                try Self.queueMail(db, eventId: event.id, registrationIds: [record.id], kind: kind, position: nil, now: now)
            }
            let promoted = try Self.promote(db, event: &event, count: min(1, event.promotable), now: now)
            var cancelled = record
            cancelled.status = .cancelled
            return (cancelled, promoted.first)
        }
    }

    public func registrations(slug: String) throws -> [Registration] {
        guard Self.findable(slug) else { throw WebinarError.eventNotFound }
        return try self.pool.withConnection { db in
            guard let eventId = try db.query("SELECT id FROM events WHERE slug = $1", [slug]).first?.int64("id") else {
                throw WebinarError.eventNotFound
            }
            let rows = try db.query("SELECT * FROM registrations WHERE event_id = $1 ORDER BY id", [eventId]).all
            let waitlisted = try rows.filter { try $0.string("status") == RegistrationStatus.waitlisted.rawValue }
                .map { try $0.int64("queue") }.sorted()
            let positions = Dictionary(uniqueKeysWithValues: waitlisted.enumerated().map { ($1, $0 + 1) })
            return try rows.map { row in
                try PGRecords.registration(row, slug: slug, position: positions[try row.int64("queue")])
            }
        }
    }

    /// A row of ``registrationWithPosition`` as a registration.
    static func registration(_ row: PGRow) throws -> Registration {
        try PGRecords.registration(
            row, slug: try row.string("event_slug"), position: try row.optionalInt64("position").map { Int($0) })
    }

    /// Tickets the first `count` waitlisted registrations in queue order, updates the counters and
    /// queues each one's `promoted` mail. The caller holds the event row's lock.
    static func promote(_ db: PGConnection, event: inout Event, count: Int, now: Date) throws -> [Registration] {
        guard count > 0 else { return [] }
        let rows = try db.query(
            """
            UPDATE registrations SET status = 'ticketed'
            WHERE id IN (
                SELECT id FROM registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY queue LIMIT $2
            )
            RETURNING *
            """, [event.id, count]
        ).all.sorted { try $0.int64("queue") < $1.int64("queue") }
        event.ticketsIssued += rows.count
        event.waitlistLength -= rows.count
        try Self.saveCounters(db, event)
        let promoted = try rows.map { try PGRecords.registration($0, slug: event.slug, position: nil) }
        try Self.queueMail(db, eventId: event.id, registrationIds: promoted.map(\.id), kind: .promoted, position: nil, now: now)
        return promoted
    }

    /// Writes the seat counters after a cancellation or promotion (a batch of registrations writes its
    /// counters, the queue's included, in `write`).
    static func saveCounters(_ db: PGConnection, _ event: Event) throws {
        try db.query(
            "UPDATE events SET tickets_issued = $2, waitlist_length = $3 WHERE id = $1",
            [event.id, event.ticketsIssued, event.waitlistLength])
    }
}
