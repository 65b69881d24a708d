import Foundation
import Webinar

/// PostgreSQL's side of ``RegistrationPlan``: the waiting list's head a command needs, and the writing
/// of what the plan decided in three statements whatever the number of rows (arrays through `unnest`).
/// The caller holds the event row's lock.
extension PostgresStore {
    /// The first waitlisted registrations in queue order, as many as a command freeing `seats` may fill.
    static func waitingHead(_ db: PGConnection, _ event: Event, freeing seats: Int) throws -> [RegistrationPlan.Row] {
        let count = RegistrationPlan.waitingNeeded(event, freeing: seats)
        guard count > 0 else { return [] }
        return try db.query(
            "SELECT * FROM registrations WHERE event_id = $1 AND status = 'waitlisted' ORDER BY queue LIMIT $2", [event.id, count]
        ).all.map(PGRecords.planRow)
    }

    /// Writes `changes`: the event's counters, each registration's status and offer deadline (an offered
    /// one also gets a new one-time link token, kept hashed, as a ticket link's), and the mail, the
    /// offer's carrying its token. Returns the registrations that got a seat or an offer, in order.
    static func apply(_ db: PGConnection, _ changes: RegistrationPlan.Changes, to event: inout Event, now: Date) throws
        -> [Registration]
    {
        guard !changes.isEmpty else { return [] }
        event.ticketsIssued = changes.event.ticketsIssued
        event.offersOpen = changes.event.offersOpen
        event.waitlistLength = changes.event.waitlistLength
        try db.query(
            "UPDATE events SET tickets_issued = $2, offers_open = $3, waitlist_length = $4 WHERE id = $1",
            [event.id, event.ticketsIssued, event.offersOpen, event.waitlistLength])
        var tokens: [Int64: String] = [:]
        for mail in changes.mails where mail.kind == .offered { tokens[mail.registrationId] = SecretCode.make(.recoveryToken) }
        var rows: [Int64: PGRow] = [:]
        if !changes.updates.isEmpty {
            let updates = changes.updates
            let updated = try db.query(
                """
                UPDATE registrations r SET status = u.status, offer_expires_at = u.deadline,
                    recovery_hash = COALESCE(u.recovery_hash, r.recovery_hash),
                    recovery_sent_at = CASE WHEN u.recovery_hash IS NULL THEN r.recovery_sent_at ELSE $5 END
                FROM unnest($1::bigint[], $2::text[], $3::double precision[], $4::text[]) AS u(id, status, deadline, recovery_hash)
                WHERE r.id = u.id
                RETURNING r.*
                """,
                [
                    PGArray(updates.map(\.id)), PGArray(updates.map(\.status.rawValue)), PGArray(updates.map(\.offerExpiresAt)),
                    PGArray(updates.map { tokens[$0.id].map(SecretCode.hash) }), now,
                ]
            ).all
            guard updated.count == updates.count else {
                throw PGError("updated \(updated.count) of \(updates.count) registrations the seat plan changed")
            }
            for row in updated { rows[try row.int64("id")] = row }
        }
        if !changes.mails.isEmpty {
            let mails = changes.mails
            try db.query(
                """
                INSERT INTO mail_outbox (event_id, registration_id, kind, position, link_secret, next_attempt_at, created_at)
                SELECT $1, u.id, u.kind, NULL, u.secret, $4, $4
                FROM unnest($2::bigint[], $3::text[], $5::text[]) WITH ORDINALITY AS u(id, kind, secret, ord) ORDER BY u.ord
                """,
                [
                    event.id, PGArray(mails.map(\.registrationId)), PGArray(mails.map(\.kind.rawValue)), now,
                    PGArray(mails.map { tokens[$0.registrationId] }),
                ])
        }
        return try changes.promoted.compactMap { update in
            try rows[update.id].map { try PGRecords.registration($0, slug: event.slug, position: nil) }
        }
    }
}
