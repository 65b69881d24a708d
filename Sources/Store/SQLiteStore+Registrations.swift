import Foundation
import GRDB
import Webinar

extension SQLiteStore {
    public func registration(code: String) throws -> Registration? {
        try self.dbPool.read { db in
            guard let (record, slug) = try Self.fetchRegistration(db, code: code) else { return nil }
            return try Self.withPosition(db, record, slug: slug)
        }
    }

    public func cancel(code: String, now: Date) throws -> (registration: Registration, promoted: Registration?) {
        try self.dbPool.write { db in
            guard let found = try Self.fetchRegistration(db, code: code) else { throw WebinarError.registrationNotFound }
            var record = found.0
            let slug = found.1
            let previous = record.registrationStatus
            guard previous != .cancelled else { return (record.registration(slug: slug, position: nil), nil) }
            guard var event = try Self.fetchEvent(db, id: record.eventId) else { throw WebinarError.eventNotFound }
            record.status = RegistrationStatus.cancelled.rawValue
            try record.update(db)
            if previous == .ticketed { event.ticketsIssued -= 1 } else { event.waitlistLength -= 1 }
            try Self.saveCounters(db, event)
            if let kind = MailKind.afterCancelling(previous), let id = record.id {
                try Self.queueMail(db, eventId: record.eventId, registrationId: id, kind: kind, position: nil, now: now)
            }
            let promoted = try Self.promote(db, event: &event, count: min(1, event.event.promotable), now: now)
            return (record.registration(slug: slug, position: nil), promoted.first)
        }
    }

    public func registrations(slug: String) throws -> [Registration] {
        try self.dbPool.read { db in
            guard let event = try Self.fetchEvent(db, slug: slug), let eventId = event.id else {
                throw WebinarError.eventNotFound
            }
            let records = try RegistrationRecord
                .filter(RegistrationRecord.Columns.eventId == eventId)
                .order(RegistrationRecord.Columns.id)
                .fetchAll(db)
            let waitlisted = records.filter { $0.registrationStatus == .waitlisted }.sorted { $0.queue < $1.queue }
            let positions = Dictionary(uniqueKeysWithValues: waitlisted.enumerated().map { ($1.queue, $0 + 1) })
            return records.map { $0.registration(slug: slug, position: positions[$0.queue]) }
        }
    }

    /// Tickets the first `count` waitlisted registrations in queue order, updates the counters and
    /// queues each one's `promoted` mail.
    static func promote(_ db: Database, event: inout EventRecord, count: Int, now: Date) throws -> [Registration] {
        guard count > 0, let eventId = event.id else { return [] }
        var records = try RegistrationRecord
            .filter(
                RegistrationRecord.Columns.eventId == eventId
                    && RegistrationRecord.Columns.status == RegistrationStatus.waitlisted.rawValue)
            .order(RegistrationRecord.Columns.queue)
            .limit(count)
            .fetchAll(db)
        for index in records.indices {
            records[index].status = RegistrationStatus.ticketed.rawValue
            try records[index].update(db, columns: [RegistrationRecord.Columns.status])
            if let id = records[index].id {
                try Self.queueMail(db, eventId: eventId, registrationId: id, kind: .promoted, position: nil, now: now)
            }
        }
        event.ticketsIssued += records.count
        event.waitlistLength -= records.count
        try Self.saveCounters(db, event)
        return records.map { $0.registration(slug: event.slug, position: nil) }
    }

    /// Inserts through one cached statement: the hot path of registration.
    static func insert(_ db: Database, _ record: inout RegistrationRecord) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO registrations (event_id, code_hash, author_id, name, email, status, queue, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            record.eventId, record.codeHash, record.authorId, record.name, record.email, record.status, record.queue,
            record.createdAt.timeIntervalSince1970,
        ])
        record.id = db.lastInsertedRowID
    }

    /// Writes the seat and queue counters (the only event columns registrations change).
    static func saveCounters(_ db: Database, _ event: EventRecord) throws {
        try Self.saveCounters(
            db, eventId: event.id, ticketsIssued: event.ticketsIssued, waitlistLength: event.waitlistLength,
            lastQueue: event.lastQueue)
    }

    static func saveCounters(_ db: Database, eventId: Int64?, ticketsIssued: Int, waitlistLength: Int, lastQueue: Int64) throws {
        let statement = try db.cachedStatement(
            sql: "UPDATE events SET tickets_issued = ?, waitlist_length = ?, last_queue = ? WHERE id = ?")
        try statement.execute(arguments: [ticketsIssued, waitlistLength, lastQueue, eventId])
    }

    private static func fetchRegistration(_ db: Database, code: String) throws -> (RegistrationRecord, String)? {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT registrations.*, events.slug AS event_slug FROM registrations
                    JOIN events ON events.id = registrations.event_id WHERE registrations.code_hash = ?
                    """),
            arguments: [SecretCode.hash(code)])
        guard let row else { return nil }
        return (RegistrationRecord(row: row), row["event_slug"])
    }

    /// `record` with its current waitlist place: waitlisted rows of the event at or before its queue number.
    static func withPosition(_ db: Database, _ record: RegistrationRecord, slug: String) throws
        -> Registration
    {
        guard record.registrationStatus == .waitlisted else { return record.registration(slug: slug, position: nil) }
        let position = try Int.fetchOne(
            db.cachedStatement(
                sql: "SELECT COUNT(*) FROM registrations WHERE event_id = ? AND status = 'waitlisted' AND queue <= ?"),
            arguments: [record.eventId, record.queue])
        return record.registration(slug: slug, position: position)
    }
}
