public import Foundation
import GRDB
public import Webinar

extension SQLiteStore {
    public func registration(code: String) throws -> Registration? {
        try self.dbPool.read { db in
            guard let (record, slug) = try Self.fetchRegistration(db, code: code) else { return nil }
            return try Self.withPosition(db, record, slug: slug)
        }
    }

    public func cancel(code: String, now: Date) throws -> (registration: Registration, promoted: Registration?) {
        try self.dbPool.write { db in
            let (record, slug) = try Self.requireRegistration(db, code: code)
            guard var event = try Self.fetchEvent(db, id: record.eventId) else { throw WebinarError.eventNotFound }
            let row = record.planRow
            let freeing = row.status == .ticketed || row.status == .offered ? 1 : 0
            let waiting = try Self.waitingHead(db, event.event, freeing: freeing)
            let promoted = try Self.apply(
                db, RegistrationPlan.cancel(row, event: event.event, waiting: waiting, now: now), to: &event, now: now)
            return (try Self.reread(db, record, slug: slug), promoted.first)
        }
    }

    public func claimOffer(code: String, now: Date) throws -> Registration {
        try self.dbPool.write { db in
            let (record, slug) = try Self.requireRegistration(db, code: code)
            guard var event = try Self.fetchEvent(db, id: record.eventId) else { throw WebinarError.eventNotFound }
            _ = try Self.apply(db, try RegistrationPlan.claim(record.planRow, event: event.event, now: now), to: &event, now: now)
            return try Self.reread(db, record, slug: slug)
        }
    }

    public func declineOffer(code: String, now: Date) throws -> (registration: Registration, promoted: Registration?) {
        try self.dbPool.write { db in
            let (record, slug) = try Self.requireRegistration(db, code: code)
            guard var event = try Self.fetchEvent(db, id: record.eventId) else { throw WebinarError.eventNotFound }
            let waiting = try Self.waitingHead(db, event.event, freeing: 1)
            let changes = try RegistrationPlan.decline(record.planRow, event: event.event, waiting: waiting, now: now)
            let promoted = try Self.apply(db, changes, to: &event, now: now)
            return (try Self.reread(db, record, slug: slug), promoted.first)
        }
    }

    public func expireOffers(now: Date) throws -> [Registration] {
        // Looked for without the write lock first: the timer asks every few seconds, mostly for nothing,
        // and must not hold up the registration writer then.
        let due = try self.dbPool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM registrations WHERE status = 'offered' AND offer_expires_at <= ? LIMIT 1"),
                arguments: [now.timeIntervalSince1970]) ?? false
        }
        guard due else { return [] }
        return try self.dbPool.write { db in
            let lapsed = try RegistrationRecord.fetchAll(
                db.cachedStatement(
                    sql: "SELECT * FROM registrations WHERE status = 'offered' AND offer_expires_at <= ? ORDER BY event_id, queue"),
                arguments: [now.timeIntervalSince1970])
            var promoted: [Registration] = []
            for (eventId, offers) in Dictionary(grouping: lapsed, by: \.eventId).sorted(by: { $0.key < $1.key }) {
                guard var event = try Self.fetchEvent(db, id: eventId) else { continue }
                let waiting = try Self.waitingHead(db, event.event, freeing: offers.count)
                let changes = RegistrationPlan.expire(offers.map(\.planRow), event: event.event, waiting: waiting, now: now)
                promoted += try Self.apply(db, changes, to: &event, now: now)
            }
            return promoted
        }
    }

    public func registrations(slug: String) throws -> [Registration] {
        try self.dbPool.read { db in
            guard let event = try Self.fetchEvent(db, slug: slug), let eventId = event.id else {
                throw WebinarError.eventNotFound
            }
            let records =
                try RegistrationRecord
                .filter(RegistrationRecord.Columns.eventId == eventId)
                .order(RegistrationRecord.Columns.id)
                .fetchAll(db)
            let waitlisted = records.filter { $0.registrationStatus == .waitlisted }.sorted { $0.queue < $1.queue }
            let positions = Dictionary(uniqueKeysWithValues: waitlisted.enumerated().map { ($1.queue, $0 + 1) })
            return records.map { $0.registration(slug: slug, position: positions[$0.queue]) }
        }
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

    /// Writes the seat and queue counters after a batch of registrations.
    static func saveCounters(_ db: Database, eventId: Int64?, ticketsIssued: Int, waitlistLength: Int, lastQueue: Int64) throws {
        let statement = try db.cachedStatement(
            sql: "UPDATE events SET tickets_issued = ?, waitlist_length = ?, last_queue = ? WHERE id = ?")
        try statement.execute(arguments: [ticketsIssued, waitlistLength, lastQueue, eventId])
    }

    /// The registration behind `code` and its event's slug, or `registration_not_found`.
    private static func requireRegistration(_ db: Database, code: String) throws -> (RegistrationRecord, String) {
        guard let found = try Self.fetchRegistration(db, code: code) else { throw WebinarError.registrationNotFound }
        return found
    }

    /// `record` as it is now, with its waitlist place.
    private static func reread(_ db: Database, _ record: RegistrationRecord, slug: String) throws -> Registration {
        guard let id = record.id, let now = try RegistrationRecord.fetchOne(db, key: id) else { throw WebinarError.registrationNotFound }
        return try Self.withPosition(db, now, slug: slug)
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
