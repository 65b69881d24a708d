public import Foundation
public import Webinar

extension PostgresStore {
    public func createEvent(_ new: NewEvent, hostKeyHash: String, now: Date) throws -> Event {
        let valid = try new.validated()
        return try self.pool.withConnection { db in
            if let slug = valid.slug {
                // The slug's uniqueness is the schema's: another node may take it between any check and the insert.
                do {
                    let event = valid.event(id: 0, slug: slug, createdAt: now)
                    return try Self.insert(db, event, hostKeyHash, ifFree: false)!
                } catch let error as PGError where error.isUniqueViolation && error.constraint == "events_slug_key" {
                    throw WebinarError.slugTaken(slug)
                }
            }
            let base = Slug.derive(from: valid.title)
            var candidate = base
            while true {
                let event = valid.event(id: 0, slug: candidate, createdAt: now)
                if let stored = try Self.insert(db, event, hostKeyHash, ifFree: true) { return stored }
                candidate = Slug.suffixed(base, suffix: Slug.randomSuffix())
            }
        }
    }

    public func event(slug: String) throws -> Event? {
        guard Self.findable(slug) else { return nil }
        return try self.pool.withConnection { db in try Self.fetchEvent(db, slug: slug)?.event }
    }

    public func events() throws -> [Event] {
        try self.pool.withConnection { db in
            try db.query("SELECT * FROM events ORDER BY starts_at, id").all.map { try PGRecords.eventRow($0).event }
        }
    }

    public func hostKeyHash(slug: String) throws -> String? {
        guard Self.findable(slug) else { return nil }
        return try self.pool.withConnection { db in
            try db.query("SELECT host_key_hash FROM events WHERE slug = $1", [slug]).first?.string("host_key_hash")
        }
    }

    public func updateEvent(slug: String, patch: EventPatch, now: Date) throws
        -> (event: Event, promoted: [Registration])
    {
        guard Self.findable(slug) else { throw WebinarError.eventNotFound }
        return try self.pool.transaction { db in
            guard let row = try Self.fetchEvent(db, slug: slug, lock: true) else { throw WebinarError.eventNotFound }
            var next = try patch.applied(to: row.event)
            try db.query(
                """
                UPDATE events SET title = $2, description = $3, starts_at = $4, ends_at = $5, capacity = $6,
                    registration_open = $7, public_viewing = $8, moderation = $9, slow_mode_seconds = $10,
                    blocked_words = $11::jsonb, time_zone = $12, claim_window_minutes = $13
                WHERE id = $1
                """,
                [
                    next.id, next.title, next.description, next.startsAt, next.endsAt, next.capacity,
                    next.registrationOpen, next.publicViewing, next.moderation.rawValue, next.slowModeSeconds,
                    try PGRecords.encodeWords(next.blockedWords), next.timeZone, next.claimWindowMinutes,
                ])
            if next.startsAt != row.event.startsAt || next.endsAt != row.event.endsAt {
                // Ticket holders get an updated invitation, with a higher SEQUENCE, before anyone promoted now
                // (whose promotion mail already carries the new time).
                try db.query("UPDATE events SET schedule_sequence = schedule_sequence + 1 WHERE id = $1", [next.id])
                try Self.queueMailToTicketHolders(db, eventId: next.id, kind: .rescheduled, now: now)
            }
            let waiting = try Self.waitingHead(db, next, freeing: 0)
            let promoted = try Self.apply(db, RegistrationPlan.capacityChanged(next, waiting: waiting, now: now), to: &next, now: now)
            return (next, promoted)
        }
    }

    /// The event row by slug; with `lock`, the row stays locked until the transaction ends.
    static func fetchEvent(_ db: PGConnection, slug: String, lock: Bool = false) throws -> PGRecords.EventRow? {
        let sql = "SELECT * FROM events WHERE slug = $1" + (lock ? " FOR UPDATE" : "")
        return try db.query(sql, [slug]).first.map(PGRecords.eventRow)
    }

    /// Inserts the event and returns it with its id; with `ifFree`, nil when the slug is taken.
    private static func insert(_ db: PGConnection, _ event: Event, _ hostKeyHash: String, ifFree: Bool) throws
        -> Event?
    {
        let rows = try db.query(
            """
            INSERT INTO events (slug, title, description, starts_at, ends_at, capacity, registration_open,
                public_viewing, moderation, slow_mode_seconds, blocked_words, host_key_hash, created_at, time_zone,
                claim_window_minutes)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15)
            \(ifFree ? "ON CONFLICT (slug) DO NOTHING" : "")
            RETURNING id
            """,
            [
                event.slug, event.title, event.description, event.startsAt, event.endsAt, event.capacity,
                event.registrationOpen, event.publicViewing, event.moderation.rawValue, event.slowModeSeconds,
                try PGRecords.encodeWords(event.blockedWords), hostKeyHash, event.createdAt, event.timeZone,
                event.claimWindowMinutes,
            ])
        guard let id = try rows.first?.int64("id") else { return nil }
        var stored = event
        stored.id = id
        return stored
    }
}
