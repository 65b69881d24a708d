import Foundation
import Webinar

extension PostgresStore {
    /// Stores a decided batch with at most three statements, each one round trip whatever the batch's
    /// size (arrays through `unnest`); returns the new rows' ids in `plan.inserts` order. The caller holds the
    /// events' locks.
    static func write(_ db: PGConnection, _ plan: RegistrationBatchPlan, now: Date) throws -> [Int64] {
        let changed = plan.changedEvents.compactMap { plan.events[$0] }
        if !changed.isEmpty {
            try db.query(
                """
                UPDATE events e SET tickets_issued = u.tickets, waitlist_length = u.waitlist, last_queue = u.queue
                FROM unnest($1::bigint[], $2::integer[], $3::integer[], $4::bigint[]) AS u(id, tickets, waitlist, queue)
                WHERE e.id = u.id
                """,
                [
                    PGArray(changed.map(\.event.id)), PGArray(changed.map(\.event.ticketsIssued)),
                    PGArray(changed.map(\.event.waitlistLength)), PGArray(changed.map(\.lastQueue)),
                ])
        }
        let back = plan.reactivations
        if !back.isEmpty {
            let updated = try db.query(
                """
                UPDATE registrations r SET code_hash = u.code_hash, name = u.name, status = u.status, queue = u.queue,
                    offer_expires_at = NULL
                FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[]) AS u(id, name, status, queue, code_hash)
                WHERE r.id = u.id
                """,
                [
                    PGArray(back.map(\.id)), PGArray(back.map(\.name)), PGArray(back.map(\.status.rawValue)),
                    PGArray(back.map(\.queue)), PGArray(back.map { SecretCode.hash($0.code) }),
                ])
            guard updated.affected == back.count else {
                throw PGError("reactivated \(updated.affected) of \(back.count) cancelled registrations")
            }
            try db.query(
                """
                INSERT INTO mail_outbox (event_id, registration_id, kind, position, link_secret, next_attempt_at, created_at)
                SELECT r.event_id, r.id, u.kind, u.position, u.code, $4, $4
                FROM unnest($1::bigint[], $2::text[], $3::integer[], $5::text[])
                    WITH ORDINALITY AS u(id, kind, position, code, ord)
                JOIN registrations r ON r.id = u.id ORDER BY u.ord
                """,
                [
                    PGArray(back.map(\.id)), PGArray(back.map { MailKind.afterRegistering($0.status)?.rawValue }),
                    PGArray(back.map(\.position)), now, PGArray(back.map(\.code)),
                ])
        }
        return try Self.insert(db, plan.inserts, now: now)
    }

    /// One multi-row INSERT, in batch order (ORDER BY ord), so ids grow in request order as they did
    /// when each request was inserted on its own; the same statement queues each new registration's
    /// mail (a data-modifying CTE: still one round trip).
    private static func insert(_ db: PGConnection, _ inserts: [RegistrationBatchPlan.Insert], now: Date) throws
        -> [Int64]
    {
        guard !inserts.isEmpty else { return [] }
        let new = inserts.map(\.registration)
        let rows = try db.query(
            """
            WITH input AS (
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                    $7::bigint[], $9::text[], $10::integer[])
                    WITH ORDINALITY AS t(event_id, code_hash, author_id, name, email, status, queue, kind, position, ord)
            ), inserted AS (
                INSERT INTO registrations (event_id, code_hash, author_id, name, email, status, queue, created_at)
                SELECT event_id, code_hash, author_id, name, email, status, queue, $8::double precision
                FROM input ORDER BY ord
                RETURNING id, code_hash, event_id, queue
            ), mail AS (
                INSERT INTO mail_outbox (event_id, registration_id, kind, position, link_secret, next_attempt_at, created_at)
                SELECT i.event_id, i.id, input.kind, input.position, c.code, $8::double precision, $8::double precision
                FROM inserted i JOIN input ON input.event_id = i.event_id AND input.queue = i.queue
                JOIN unnest($11::text[]) WITH ORDINALITY AS c(code, ord) ON c.ord = input.ord
                ORDER BY i.id
            )
            SELECT id, code_hash FROM inserted
            """,
            [
                PGArray(new.map(\.eventId)), PGArray(inserts.map(\.codeHash)), PGArray(new.map(\.authorId)),
                PGArray(new.map(\.name)), PGArray(new.map(\.email)), PGArray(new.map(\.status.rawValue)),
                PGArray(inserts.map(\.queue)), now, PGArray(new.map { MailKind.afterRegistering($0.status)?.rawValue }),
                PGArray(new.map(\.position)), PGArray(new.map(\.code)),
            ]
        ).all
        guard rows.count == inserts.count else {
            throw PGError("INSERT INTO registrations returned \(rows.count) of \(inserts.count) ids")
        }
        let ids = Dictionary(try rows.map { (try $0.string("code_hash"), try $0.int64("id")) }) { first, _ in first }
        return try inserts.map { insert in
            guard let id = ids[insert.codeHash] else {
                throw PGError("INSERT INTO registrations returned no id for a new registration")
            }
            return id
        }
    }
}
