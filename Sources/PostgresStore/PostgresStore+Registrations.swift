public import Foundation
public import Webinar

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
        try self.changeLocked(code: code, now: now) { db, event, row in
            let freeing = row.status == .ticketed || row.status == .offered ? 1 : 0
            let waiting = try Self.waitingHead(db, event, freeing: freeing)
            return RegistrationPlan.cancel(row, event: event, waiting: waiting, now: now)
        }
    }

    public func claimOffer(code: String, now: Date) throws -> Registration {
        try self.changeLocked(code: code, now: now) { _, event, row in try RegistrationPlan.claim(row, event: event, now: now) }
            .registration
    }

    public func declineOffer(code: String, now: Date) throws -> (registration: Registration, promoted: Registration?) {
        try self.changeLocked(code: code, now: now) { db, event, row in
            try RegistrationPlan.decline(row, event: event, waiting: try Self.waitingHead(db, event, freeing: 1), now: now)
        }
    }

    /// One transaction: finds the registration, locks its event first and reads the registration
    /// again (a concurrent change may have won), asks `plan`, writes its changes; returns the
    /// registration as it is now and the first one that got a seat or an offer.
    private func changeLocked(
        code: String, now: Date,
        _ plan: (PGConnection, Event, RegistrationPlan.Row) throws -> RegistrationPlan.Changes
    ) throws -> (registration: Registration, promoted: Registration?) {
        guard Self.findable(code) else { throw WebinarError.registrationNotFound }
        return try self.pool.transaction { db in
            guard
                let eventId = try db.query("SELECT event_id FROM registrations WHERE code_hash = $1", [SecretCode.hash(code)]).first?
                    .int64("event_id")
            else { throw WebinarError.registrationNotFound }
            guard
                var event = try db.query("SELECT * FROM events WHERE id = $1 FOR UPDATE", [eventId]).first
                    .map(PGRecords.eventRow)?.event
            else { throw WebinarError.eventNotFound }
            guard let row = try db.query("SELECT * FROM registrations WHERE code_hash = $1", [SecretCode.hash(code)]).first else {
                throw WebinarError.registrationNotFound
            }
            let changes = try plan(db, event, try PGRecords.planRow(row))
            let promoted = try Self.apply(db, changes, to: &event, now: now)
            var current = try PGRecords.registration(row, slug: event.slug, position: nil)
            if let update = changes.updates.first(where: { $0.id == current.id }) {
                current.status = update.status
                current.offerExpiresAt = update.offerExpiresAt
            }
            if current.status == .waitlisted {
                current.position = try db.query(
                    "SELECT count(*) AS n FROM registrations WHERE event_id = $1 AND status = 'waitlisted' AND queue <= $2",
                    [eventId, try row.int64("queue")]
                ).first?.int("n")
            }
            return (current, promoted.first)
        }
    }

    public func expireOffers(now: Date) throws -> [Registration] {
        // Which events have lapsed offers; each is then handled under its event's lock, re-reading its
        // offers, so a node that lost the race finds them gone and passes no seat on twice.
        let eventIds = try self.pool.withConnection { db in
            try db.query(
                "SELECT DISTINCT event_id FROM registrations WHERE status = 'offered' AND offer_expires_at <= $1 ORDER BY event_id",
                [now]
            ).all.map { try $0.int64("event_id") }
        }
        var promoted: [Registration] = []
        for eventId in eventIds {
            promoted += try self.pool.transaction { db in
                guard
                    var event = try db.query("SELECT * FROM events WHERE id = $1 FOR UPDATE", [eventId]).first
                        .map(PGRecords.eventRow)?.event
                else { return [] }
                let offers = try db.query(
                    "SELECT * FROM registrations WHERE event_id = $1 AND status = 'offered' AND offer_expires_at <= $2 ORDER BY queue",
                    [eventId, now]
                ).all.map(PGRecords.planRow)
                guard !offers.isEmpty else { return [] }
                let waiting = try Self.waitingHead(db, event, freeing: offers.count)
                return try Self.apply(db, RegistrationPlan.expire(offers, event: event, waiting: waiting, now: now), to: &event, now: now)
            }
        }
        return promoted
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
}
