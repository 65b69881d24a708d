public import Foundation
public import Webinar

extension PostgresStore {
    /// One transaction of a constant handful of statements whatever the batch's size, because the single
    /// writer thread is bound by round trips: lock the batch's events (in id order, so concurrent batches
    /// never deadlock), read the stored registrations of the batch's emails, decide every request in Swift
    /// (``RegistrationBatchPlan``), then write the new rows, the reactivated rows and the counters set-based.
    /// Every domain failure is decided before any write, so no savepoints are needed.
    public func registerBatch(_ requests: [RegistrationRequest], now: Date) throws
        -> [Result<RegistrationOutcome, WebinarError>]
    {
        guard !requests.isEmpty else { return [] }
        let validated = requests.map(\.registrant)
        let slugs = Set(requests.map(\.slug).filter(Self.findable)).sorted()
        return try self.pool.transaction { db in
            let events = try db.query(
                "SELECT * FROM events WHERE slug = ANY($1::text[]) ORDER BY id FOR UPDATE", [PGArray(slugs)]
            ).all.map(PGRecords.eventRow)
            // Slugs match byte for byte, as in SQL (Swift's String equality is canonical equivalence).
            let eventIds = Dictionary(events.map { (Array($0.event.slug.utf8), $0.event.id) }) { first, _ in first }
            var candidates: [(index: Int, candidate: RegistrationBatchPlan.Candidate)] = []
            for (index, (request, new)) in zip(requests, validated).enumerated() {
                guard case .success(let new) = new, let eventId = eventIds[Array(request.slug.utf8)] else { continue }
                candidates.append((index, .init(new: new, eventId: eventId, emailKey: "", stored: nil)))
            }
            try Self.readStored(db, into: &candidates)
            let byIndex = Dictionary(candidates.map { ($0.index, $0.candidate) }) { first, _ in first }

            var plan = RegistrationBatchPlan(events: events.map { .init(event: $0.event, lastQueue: $0.lastQueue) })
            for (index, new) in validated.enumerated() {
                switch (new, byIndex[index]) {
                case (.failure(let error), _): plan.fail(error)
                case (.success, nil): plan.fail(.eventNotFound)
                case (.success, let candidate?): plan.decide(candidate, now: now)
                }
            }
            return try plan.results(insertedIds: try Self.write(db, plan, now: now))
        }
    }

    /// Fills every candidate's email key and stored registration (with its waitlist place) in ONE
    /// statement; the caller holds the events' locks, so this reads every registration committed before.
    private static func readStored(
        _ db: PGConnection, into candidates: inout [(index: Int, candidate: RegistrationBatchPlan.Candidate)]
    ) throws {
        guard !candidates.isEmpty else { return }
        let rows = try db.query(
            """
            SELECT b.ord, lower(btrim(b.email)) AS email_key, stored.*
            FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS b(event_id, email, ord)
            LEFT JOIN LATERAL (
                \(Self.registrationWithPosition)
                WHERE r.event_id = b.event_id AND lower(btrim(r.email)) = lower(btrim(b.email))
            ) stored ON true
            """,
            [PGArray(candidates.map(\.candidate.eventId)), PGArray(candidates.map(\.candidate.new.email))]
        ).all
        // The unique index allows at most one stored registration per (event, key): one row per candidate.
        guard rows.count == candidates.count else { throw PGError("registration lookup returned \(rows.count) rows") }
        for row in rows {
            let ord = Int(try row.int64("ord")) - 1
            guard candidates.indices.contains(ord) else { throw PGError("registration lookup returned ord \(ord + 1)") }
            candidates[ord].candidate.emailKey = try row.string("email_key")
            guard try row.optionalInt64("id") != nil else { continue }
            candidates[ord].candidate.stored = try Self.registration(row)
        }
    }
}
