public import Foundation
import GRDB
public import Webinar

extension SQLiteStore {
    public func createEvent(_ new: NewEvent, hostKeyHash: String, now: Date) throws -> Event {
        let valid = try new.validated()
        return try self.dbPool.write { db in
            let slug = try Self.freeSlug(db, for: valid)
            var record = EventRecord(valid.event(id: 0, slug: slug, createdAt: now), hostKeyHash: hostKeyHash)
            try record.insert(db)
            return record.event
        }
    }

    public func event(slug: String) throws -> Event? {
        try self.dbPool.read { db in try Self.fetchEvent(db, slug: slug)?.event }
    }

    public func events() throws -> [Event] {
        try self.dbPool.read { db in
            try EventRecord.order(EventRecord.Columns.startsAt, EventRecord.Columns.id).fetchAll(db).map(\.event)
        }
    }

    public func hostKeyHash(slug: String) throws -> String? {
        try self.dbPool.read { db in try Self.fetchEvent(db, slug: slug)?.hostKeyHash }
    }

    public func updateEvent(slug: String, patch: EventPatch, now: Date) throws
        -> (event: Event, promoted: [Registration])
    {
        try self.dbPool.write { db in
            guard var record = try Self.fetchEvent(db, slug: slug) else { throw WebinarError.eventNotFound }
            let before = record.event
            let next = try patch.applied(to: before)
            record.update(from: next)
            try record.update(db)
            if next.startsAt != before.startsAt || next.endsAt != before.endsAt, let id = record.id {
                // Ticket holders get an updated invitation, with a higher SEQUENCE, before anyone promoted now
                // (whose promotion mail already carries the new time).
                try db.execute(sql: "UPDATE events SET schedule_sequence = schedule_sequence + 1 WHERE id = ?", arguments: [id])
                try Self.queueMailToTicketHolders(db, eventId: id, kind: .rescheduled, now: now)
            }
            let waiting = try Self.waitingHead(db, next, freeing: 0)
            let promoted = try Self.apply(db, RegistrationPlan.capacityChanged(next, waiting: waiting, now: now), to: &record, now: now)
            return (record.event, promoted)
        }
    }

    static func fetchEvent(_ db: Database, slug: String) throws -> EventRecord? {
        try EventRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM events WHERE slug = ?"), arguments: [slug])
    }

    static func fetchEvent(_ db: Database, id: Int64) throws -> EventRecord? {
        try EventRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM events WHERE id = ?"), arguments: [id])
    }

    /// The slug the new event gets: the given one if free (else `slug_taken`), or the title's, suffixed
    /// with random characters until free.
    private static func freeSlug(_ db: Database, for new: NewEvent) throws -> String {
        func taken(_ slug: String) throws -> Bool {
            try EventRecord.filter(EventRecord.Columns.slug == slug).fetchCount(db) > 0
        }
        if let slug = new.slug {
            guard try !taken(slug) else { throw WebinarError.slugTaken(slug) }
            return slug
        }
        let base = Slug.derive(from: new.title)
        var candidate = base
        while try taken(candidate) {
            candidate = Slug.suffixed(base, suffix: Slug.randomSuffix())
        }
        return candidate
    }
}
