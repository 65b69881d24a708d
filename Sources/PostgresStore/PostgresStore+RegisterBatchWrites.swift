import Foundation
import Webinar

extension PostgresStore {
    /// Stores a decided batch with at most three statements, each one round trip whatever the batch's
    /// size (arrays through `unnest`); returns the new rows' ids by code. The caller holds the events' locks.
    static func write(_ db: PGConnection, _ plan: RegistrationBatchPlan, now: Date) throws -> [String: Int64] {
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
                UPDATE registrations r SET name = u.name, status = u.status, queue = u.queue
                FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS u(id, name, status, queue)
                WHERE r.id = u.id
                """,
                [
                    PGArray(back.map(\.id)), PGArray(back.map(\.name)), PGArray(back.map(\.status.rawValue)),
                    PGArray(back.map(\.queue)),
                ])
            guard updated.affected == back.count else {
                throw PGError("reactivated \(updated.affected) of \(back.count) cancelled registrations")
            }
        }
        return try Self.insert(db, plan.inserts, now: now)
    }

    /// One multi-row INSERT, in batch order (ORDER BY ord), so ids grow in request order as they did
    /// when each request was inserted on its own.
    private static func insert(_ db: PGConnection, _ inserts: [RegistrationBatchPlan.Insert], now: Date) throws
        -> [String: Int64]
    {
        guard !inserts.isEmpty else { return [:] }
        let new = inserts.map(\.registration)
        let rows = try db.query(
            """
            INSERT INTO registrations (event_id, code, author_id, name, email, status, queue, created_at)
            SELECT event_id, code, author_id, name, email, status, queue, $8::double precision
            FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
                WITH ORDINALITY AS t(event_id, code, author_id, name, email, status, queue, ord)
            ORDER BY ord
            RETURNING id, code
            """,
            [
                PGArray(new.map(\.eventId)), PGArray(new.map(\.code)), PGArray(new.map(\.authorId)),
                PGArray(new.map(\.name)), PGArray(new.map(\.email)), PGArray(new.map(\.status.rawValue)),
                PGArray(inserts.map(\.queue)), now,
            ]
        ).all
        guard rows.count == inserts.count else {
            throw PGError("INSERT INTO registrations returned \(rows.count) of \(inserts.count) ids")
        }
        return Dictionary(try rows.map { (try $0.string("code"), try $0.int64("id")) }) { first, _ in first }
    }
}
