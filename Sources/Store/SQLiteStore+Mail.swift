public import Foundation
import GRDB
public import Webinar

/// The mail outbox in SQLite. One process owns the file, so its one sender reads a due message, sends
/// it outside any transaction (a registration never waits for a mail server) and then records the
/// outcome; nothing else sends meanwhile.
extension SQLiteStore {
    /// Queues one message in the caller's transaction; `linkSecret` (a code or token just made) is kept
    /// with the message until it leaves, so the message can carry its link.
    static func queueMail(
        _ db: Database, eventId: Int64, registrationId: Int64, kind: MailKind, position: Int?, linkSecret: String? = nil,
        now: Date
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO mail_outbox (event_id, registration_id, kind, position, link_secret, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            eventId, registrationId, kind.rawValue, position, linkSecret, now.timeIntervalSince1970,
            now.timeIntervalSince1970,
        ])
    }

    /// Queues `kind` for every ticket holder of the event, in registration order, in the caller's transaction.
    @discardableResult
    static func queueMailToTicketHolders(_ db: Database, eventId: Int64, kind: MailKind, now: Date) throws -> Int {
        try db.execute(
            sql: """
                INSERT INTO mail_outbox (event_id, registration_id, kind, position, next_attempt_at, created_at)
                SELECT event_id, id, ?, NULL, ?, ? FROM registrations
                WHERE event_id = ? AND status = 'ticketed' ORDER BY id
                """,
            arguments: [kind.rawValue, now.timeIntervalSince1970, now.timeIntervalSince1970, eventId])
        return db.changesCount
    }

    public func hasDueMail(now: Date) throws -> Bool {
        try self.dbPool.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1",
                arguments: [now.timeIntervalSince1970]) ?? false
        }
    }

    /// One read for the batch, the sends outside any transaction, one write for every outcome: the
    /// registration writer waits for the write lock once per batch, not once per message.
    public func deliverDueMail(now: Date, limit: Int, _ deliver: (OutboxMail) -> MailDelivery) throws -> Int {
        let batch = try self.dbPool.read { db -> [OutboxMail] in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, id LIMIT ?
                    """, arguments: [now.timeIntervalSince1970, max(1, limit)])
            return try rows.compactMap { row in
                let eventId: Int64 = row["event_id"]
                guard let event = try Self.fetchEvent(db, id: eventId),
                    let record = try RegistrationRecord.fetchOne(db, key: row["registration_id"] as Int64),
                    let sequence = try Int.fetchOne(
                        db, sql: "SELECT schedule_sequence FROM events WHERE id = ?", arguments: [eventId])
                else { return nil }
                let registration = record.registration(slug: event.slug, position: nil)
                return OutboxMail(
                    id: row["id"], kind: MailKind(rawValue: row["kind"]) ?? .confirmed, event: event.event,
                    scheduleSequence: sequence, registration: registration,
                    position: row["position"], linkSecret: row["link_secret"], attempts: row["attempts"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
        guard !batch.isEmpty else { return 0 }
        let outcomes = batch.map { ($0.id, deliver($0)) }
        try self.dbPool.write { db in
            for (id, outcome) in outcomes { try Self.record(db, id: id, outcome) }
        }
        return batch.count
    }

    private static func record(_ db: Database, id: Int64, _ outcome: MailDelivery) throws {
        switch outcome {
        case .sent(let reply, let at):
            try db.execute(
                sql: "UPDATE mail_outbox SET status = 'sent', finished_at = ?, reply = ?, link_secret = NULL WHERE id = ?",
                arguments: [at.timeIntervalSince1970, reply, id])
        case .retry(let reply, _, let next):
            try db.execute(
                sql: "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ?, reply = ? WHERE id = ?",
                arguments: [next.timeIntervalSince1970, reply, id])
        case .failed(let reply, let at):
            try db.execute(
                sql:
                    "UPDATE mail_outbox SET status = 'failed', attempts = attempts + 1, finished_at = ?, reply = ?, link_secret = NULL WHERE id = ?",
                arguments: [at.timeIntervalSince1970, reply, id])
        }
    }

    public func queueReminders(now: Date, lead: TimeInterval) throws -> Int {
        let dueSQL = """
            SELECT id, starts_at FROM events WHERE starts_at > ? AND starts_at <= ?
            AND (reminder_for IS NULL OR reminder_for <> starts_at) ORDER BY id
            """
        let window: StatementArguments = [now.timeIntervalSince1970, now.addingTimeInterval(lead).timeIntervalSince1970]
        // Usually nothing is due: look in a read first, so the writer is not held up for nothing.
        guard try self.dbPool.read({ db in try Row.fetchOne(db, sql: dueSQL, arguments: window) }) != nil else { return 0 }
        return try self.dbPool.write { db in
            let due = try Row.fetchAll(db, sql: dueSQL, arguments: window)
            var queued = 0
            for row in due {
                let id: Int64 = row["id"]
                queued += try Self.queueMailToTicketHolders(db, eventId: id, kind: .reminder, now: now)
                try db.execute(sql: "UPDATE events SET reminder_for = starts_at WHERE id = ?", arguments: [id])
            }
            return queued
        }
    }

    public func mailLog(slug: String) throws -> [MailRecord] {
        try self.dbPool.read { db in
            guard let event = try Self.fetchEvent(db, slug: slug), let eventId = event.id else {
                throw WebinarError.eventNotFound
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT m.*, r.name, r.email FROM mail_outbox m JOIN registrations r ON r.id = m.registration_id
                    WHERE m.event_id = ? ORDER BY m.id
                    """, arguments: [eventId]
            ).map { row in
                let status = MailStatus(rawValue: row["status"]) ?? .pending
                return MailRecord(
                    id: row["id"], kind: MailKind(rawValue: row["kind"]) ?? .confirmed, registrationId: row["registration_id"],
                    name: row["name"], email: row["email"], status: status, attempts: row["attempts"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    nextAttemptAt: status == .pending ? Date(timeIntervalSince1970: row["next_attempt_at"]) : nil,
                    finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:)), reply: row["reply"])
            }
        }
    }

    public func retryFailedMail(slug: String?, now: Date) throws -> Int {
        try self.dbPool.write { db in
            var sql =
                "UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, finished_at = NULL WHERE status = 'failed'"
            var arguments: StatementArguments = [now.timeIntervalSince1970]
            if let slug {
                guard let event = try Self.fetchEvent(db, slug: slug) else { throw WebinarError.eventNotFound }
                sql += " AND event_id = ?"
                arguments += [event.id]
            }
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
    }

    public func mailStats() throws -> MailStats {
        try self.dbPool.read { db in
            let pending = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS n, MIN(id) AS oldest FROM mail_outbox WHERE status = 'pending'")
            let failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM mail_outbox WHERE status = 'failed'") ?? 0
            var oldest: Date?
            if let id = pending?["oldest"] as Int64? {
                oldest = try Double.fetchOne(db, sql: "SELECT created_at FROM mail_outbox WHERE id = ?", arguments: [id])
                    .map(Date.init(timeIntervalSince1970:))
            }
            return MailStats(pending: pending?["n"] ?? 0, failed: failed, oldestPending: oldest)
        }
    }
}
