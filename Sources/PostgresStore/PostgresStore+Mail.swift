public import Foundation
import Synchronization
public import Webinar

/// The mail outbox in PostgreSQL, shared by every node.
///
/// A node claims a message with `SELECT … FOR UPDATE SKIP LOCKED` and keeps its transaction open while
/// it talks to the mail server, so no other node can take the same row meanwhile; a node that dies
/// loses its session, PostgreSQL rolls back, and the row is due again at once for any node (at least
/// once: a node that dies after the server's 250 and before its COMMIT makes the message go twice).
/// The sender uses a connection of its own, whose idle-in-transaction limit is long enough for a slow
/// mail server; it locks only outbox rows, never an event, so registrations never wait for it.
extension PostgresStore {
    /// The mail connection's session settings: one SMTP exchange may take minutes at worst; its commits
    /// need not wait for the disk (a commit lost in a crash sends a message again, which at-least-once
    /// delivery allows), set once for the session rather than in every transaction.
    static let mailSessionSettings: [(name: String, value: String)] = [
        ("idle_in_transaction_session_timeout", "10min"), ("synchronous_commit", "off"),
    ]

    /// Queues one message per registration in the caller's transaction (one statement).
    static func queueMail(
        _ db: PGConnection, eventId: Int64, registrationIds: [Int64], kind: MailKind, position: Int?, now: Date
    ) throws {
        guard !registrationIds.isEmpty else { return }
        try db.query(
            """
            INSERT INTO mail_outbox (event_id, registration_id, kind, position, next_attempt_at, created_at)
            SELECT $1, r, $3, $4, $5, $5 FROM unnest($2::bigint[]) WITH ORDINALITY AS u(r, ord) ORDER BY ord
            """, [eventId, PGArray(registrationIds), kind.rawValue, position, now])
    }

    /// Queues `kind` for every ticket holder of the event, in registration order.
    @discardableResult
    static func queueMailToTicketHolders(_ db: PGConnection, eventId: Int64, kind: MailKind, now: Date) throws -> Int {
        try db.query(
            """
            INSERT INTO mail_outbox (event_id, registration_id, kind, position, next_attempt_at, created_at)
            SELECT event_id, id, $2, NULL, $3, $3 FROM registrations
            WHERE event_id = $1 AND status = 'ticketed' ORDER BY id
            """, [eventId, kind.rawValue, now]
        ).affected
    }

    public func hasDueMail(now: Date) throws -> Bool {
        try self.pool.withConnection { db in
            try !db.query("SELECT 1 FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $1 LIMIT 1", [now]).isEmpty
        }
    }

    /// One transaction per round of up to `limit` messages: claim them (`FOR UPDATE SKIP LOCKED`, so no
    /// other node takes them meanwhile), read their events and registrations in two statements, send,
    /// record every outcome in one UPDATE, COMMIT. A node that dies mid-round sends at most that round
    /// again (with its Message-IDs). The commit does not wait for the WAL flush (`synchronous_commit`
    /// off): a database crash can only forget that a message was sent, and resend it, never lose one.
    public func deliverDueMail(now: Date, limit: Int, _ deliver: (OutboxMail) -> MailDelivery) throws -> Int {
        let pool = try self.mailPool.withLock { pool -> PGPool in
            if let pool { return pool }
            let opened = try PGPool(url: self.url, size: 1, settings: Self.mailSessionSettings)
            pool = opened
            return opened
        }
        return try pool.transaction { db in
            let rows = try db.query(
                """
                SELECT * FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $1
                ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
                """, [now, max(1, limit)]
            ).all
            guard !rows.isEmpty else { return 0 }
            let events = Dictionary(
                try db.query("SELECT * FROM events WHERE id = ANY($1::bigint[])", [PGArray(try rows.map { try $0.int64("event_id") })])
                    .all.map { row in (try row.int64("id"), (try PGRecords.eventRow(row).event, try row.int("schedule_sequence"))) },
                uniquingKeysWith: { first, _ in first })
            let registrations = Dictionary(
                try db.query(
                    "SELECT * FROM registrations WHERE id = ANY($1::bigint[])",
                    [PGArray(try rows.map { try $0.int64("registration_id") })]
                ).all.map { row in (try row.int64("id"), row) },
                uniquingKeysWith: { first, _ in first })
            var outcomes: [(id: Int64, outcome: MailDelivery)] = []
            for row in rows {
                guard let (event, sequence) = events[try row.int64("event_id")],
                    let registration = registrations[try row.int64("registration_id")]
                else { continue }
                let mail = OutboxMail(
                    id: try row.int64("id"), kind: MailKind(rawValue: try row.string("kind")) ?? .confirmed, event: event,
                    scheduleSequence: sequence,
                    registration: try PGRecords.registration(registration, slug: event.slug, position: nil),
                    position: try row.optionalInt64("position").map { Int($0) }, linkSecret: try row.text("link_secret"),
                    attempts: try row.int("attempts"),
                    createdAt: try row.date("created_at"))
                outcomes.append((mail.id, deliver(mail)))
            }
            try Self.record(db, outcomes)
            return outcomes.count
        }
    }

    /// Every outcome of a round in one statement; a message that leaves (sent or failed) drops its secret.
    private static func record(_ db: PGConnection, _ outcomes: [(id: Int64, outcome: MailDelivery)]) throws {
        guard !outcomes.isEmpty else { return }
        typealias Columns = (status: String, failed: Int, next: Date?, finished: Date?, reply: String)
        let columns = outcomes.map { _, outcome -> Columns in
            switch outcome {
            case .sent(let reply, let at): ("sent", 0, nil, at, reply)
            case .retry(let reply, _, let next): ("pending", 1, next, nil, reply)
            case .failed(let reply, let at): ("failed", 1, nil, at, reply)
            }
        }
        try db.query(
            """
            UPDATE mail_outbox m SET status = u.status, attempts = m.attempts + u.failed,
                next_attempt_at = COALESCE(u.next, m.next_attempt_at), finished_at = u.finished, reply = u.reply,
                link_secret = CASE WHEN u.status = 'pending' THEN m.link_secret END
            FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::double precision[], $5::double precision[], $6::text[])
                AS u(id, status, failed, next, finished, reply)
            WHERE m.id = u.id
            """,
            [
                PGArray(outcomes.map(\.id)), PGArray(columns.map(\.status)), PGArray(columns.map(\.failed)),
                PGArray(columns.map(\.next)), PGArray(columns.map(\.finished)), PGArray(columns.map(\.reply)),
            ])
    }

    /// Each due event is claimed by one node (`FOR UPDATE SKIP LOCKED`, then `reminder_for` set in the
    /// same transaction), so its reminders are queued once however many nodes look.
    public func queueReminders(now: Date, lead: TimeInterval) throws -> Int {
        try self.pool.transaction { db in
            let ids = try db.query(
                """
                UPDATE events SET reminder_for = starts_at WHERE id IN (
                    SELECT id FROM events WHERE starts_at > $1 AND starts_at <= $2
                    AND reminder_for IS DISTINCT FROM starts_at ORDER BY id FOR UPDATE SKIP LOCKED
                ) RETURNING id
                """, [now, now.addingTimeInterval(lead)]
            ).all.map { try $0.int64("id") }.sorted()
            return try ids.reduce(0) { count, id in
                count + (try Self.queueMailToTicketHolders(db, eventId: id, kind: .reminder, now: now))
            }
        }
    }

    public func mailLog(slug: String) throws -> [MailRecord] {
        guard Self.findable(slug) else { throw WebinarError.eventNotFound }
        return try self.pool.withConnection { db in
            guard let eventId = try db.query("SELECT id FROM events WHERE slug = $1", [slug]).first?.int64("id") else {
                throw WebinarError.eventNotFound
            }
            return try db.query(
                """
                SELECT m.*, r.name, r.email FROM mail_outbox m JOIN registrations r ON r.id = m.registration_id
                WHERE m.event_id = $1 ORDER BY m.id
                """, [eventId]
            ).all.map { row in
                let status = MailStatus(rawValue: try row.string("status")) ?? .pending
                return MailRecord(
                    id: try row.int64("id"), kind: MailKind(rawValue: try row.string("kind")) ?? .confirmed,
                    registrationId: try row.int64("registration_id"), name: try row.string("name"),
                    email: try row.string("email"), status: status, attempts: try row.int("attempts"),
                    createdAt: try row.date("created_at"),
                    nextAttemptAt: status == .pending ? try row.date("next_attempt_at") : nil,
                    finishedAt: try row.optionalDate("finished_at"), reply: try row.text("reply"))
            }
        }
    }

    public func retryFailedMail(slug: String?, now: Date) throws -> Int {
        if let slug, !Self.findable(slug) { throw WebinarError.eventNotFound }
        return try self.pool.transaction { db in
            var sql =
                "UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, finished_at = NULL WHERE status = 'failed'"
            var parameters: [(any PGParameter)?] = [now]
            if let slug {
                guard let eventId = try db.query("SELECT id FROM events WHERE slug = $1", [slug]).first?.int64("id") else {
                    throw WebinarError.eventNotFound
                }
                sql += " AND event_id = $2"
                parameters.append(eventId)
            }
            return try db.query(sql, parameters).affected
        }
    }

    public func mailStats() throws -> MailStats {
        try self.pool.withConnection { db in
            let row = try db.query(
                """
                SELECT (SELECT count(*) FROM mail_outbox WHERE status = 'pending') AS pending,
                    (SELECT count(*) FROM mail_outbox WHERE status = 'failed') AS failed,
                    (SELECT created_at FROM mail_outbox WHERE status = 'pending' ORDER BY id LIMIT 1) AS oldest
                """
            ).first
            return MailStats(
                pending: try row?.int("pending") ?? 0, failed: try row?.int("failed") ?? 0,
                oldestPending: try row?.optionalDate("oldest"))
        }
    }
}
