public import Foundation
import GRDB
public import Webinar

/// Ticket links in SQLite: the token's hash and when it was mailed live on the registration row, the
/// token itself only in its message until that leaves.
extension SQLiteStore {
    public func requestTicketLink(slug: String, email: String, now: Date) throws -> TicketLink.Outcome {
        try self.dbPool.write { db in
            guard let event = try Self.fetchEvent(db, slug: slug), let eventId = event.id else {
                throw WebinarError.eventNotFound
            }
            let row = try Row.fetchOne(
                db, sql: "SELECT id, status, recovery_sent_at FROM registrations WHERE event_id = ? AND email = ?",
                arguments: [eventId, email])
            let outcome = TicketLink.outcome(
                for: (row?["status"] as String?).flatMap(RegistrationStatus.init(rawValue:)),
                lastSentAt: (row?["recovery_sent_at"] as Double?).map(Date.init(timeIntervalSince1970:)), now: now)
            guard outcome == .queued, let row else { return outcome }
            let id: Int64 = row["id"]
            let token = SecretCode.make(.recoveryToken)
            try db.execute(
                sql: "UPDATE registrations SET recovery_hash = ?, recovery_sent_at = ? WHERE id = ?",
                arguments: [SecretCode.hash(token), now.timeIntervalSince1970, id])
            try Self.queueMail(db, eventId: eventId, registrationId: id, kind: .ticketLink, position: nil, linkSecret: token, now: now)
            return .queued
        }
    }

    public func recoverTicket(token: String, now: Date) throws -> Registration {
        let code = SecretCode.make(.ticketCode)
        let recovered = try self.dbPool.write { db -> Registration? in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT registrations.*, events.slug AS event_slug FROM registrations
                    JOIN events ON events.id = registrations.event_id WHERE registrations.recovery_hash = ?
                    """,
                arguments: [SecretCode.hash(token)])
            guard let row else { return nil }
            var record = RegistrationRecord(row: row)
            let sentAt = (row["recovery_sent_at"] as Double?).map(Date.init(timeIntervalSince1970:))
            // Used up whatever happens next: a link works once.
            try db.execute(sql: "UPDATE registrations SET recovery_hash = NULL WHERE id = ?", arguments: [record.id])
            guard
                TicketLink.redeemable(
                    status: record.registrationStatus, sentAt: sentAt, offerExpiresAt: record.offerExpiresAt, now: now)
            else { return nil }
            record.codeHash = SecretCode.hash(code)
            try db.execute(sql: "UPDATE registrations SET code_hash = ? WHERE id = ?", arguments: [record.codeHash, record.id])
            var registration = try Self.withPosition(db, record, slug: row["event_slug"])
            registration.code = code
            return registration
        }
        // A used or expired token is written off (committed) before the refusal.
        guard let recovered else { throw WebinarError.recoveryLinkInvalid }
        return recovered
    }
}
