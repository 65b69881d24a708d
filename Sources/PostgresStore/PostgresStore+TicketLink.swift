public import Foundation
public import Webinar

/// Ticket links in PostgreSQL: the token's hash and when it was mailed live on the registration row
/// (locked while it changes, so two nodes never both queue a link within the interval), the token
/// itself only in its message until that leaves.
extension PostgresStore {
    public func requestTicketLink(slug: String, email: String, now: Date) throws -> TicketLink.Outcome {
        guard Self.findable(slug) else { throw WebinarError.eventNotFound }
        guard Self.findable(email) else { return .notRegistered }
        return try self.pool.transaction { db in
            guard let eventId = try db.query("SELECT id FROM events WHERE slug = $1", [slug]).first?.int64("id") else {
                throw WebinarError.eventNotFound
            }
            let row = try db.query(
                """
                SELECT id, status, recovery_sent_at FROM registrations
                WHERE event_id = $1 AND lower(btrim(email)) = lower(btrim($2)) FOR UPDATE
                """, [eventId, email]
            ).first
            let outcome = TicketLink.outcome(
                for: try row.flatMap { RegistrationStatus(rawValue: try $0.string("status")) },
                lastSentAt: try row?.optionalDate("recovery_sent_at"), now: now)
            guard outcome == .queued, let row else { return outcome }
            let id = try row.int64("id")
            let token = SecretCode.make(.recoveryToken)
            try db.query(
                "UPDATE registrations SET recovery_hash = $2, recovery_sent_at = $3 WHERE id = $1",
                [id, SecretCode.hash(token), now])
            try db.query(
                """
                INSERT INTO mail_outbox (event_id, registration_id, kind, link_secret, next_attempt_at, created_at)
                VALUES ($1, $2, $3, $4, $5, $5)
                """, [eventId, id, MailKind.ticketLink.rawValue, token, now])
            return .queued
        }
    }

    public func recoverTicket(token: String, now: Date) throws -> Registration {
        guard Self.findable(token) else { throw WebinarError.recoveryLinkInvalid }
        let code = SecretCode.make(.ticketCode)
        let recovered = try self.pool.transaction { db -> Registration? in
            // Used up whatever happens next (a link works once): the row is cleared and returned at once.
            guard
                let row = try db.query(
                    """
                    UPDATE registrations SET recovery_hash = NULL WHERE recovery_hash = $1
                    RETURNING id, status, recovery_sent_at, offer_expires_at
                    """, [SecretCode.hash(token)]
                ).first,
                let status = RegistrationStatus(rawValue: try row.string("status")),
                TicketLink.redeemable(
                    status: status, sentAt: try row.optionalDate("recovery_sent_at"),
                    offerExpiresAt: try row.optionalDate("offer_expires_at"), now: now)
            else { return nil }
            let id = try row.int64("id")
            try db.query("UPDATE registrations SET code_hash = $2 WHERE id = $1", [id, SecretCode.hash(code)])
            guard let found = try db.query(Self.registrationWithPosition + " WHERE r.id = $1", [id]).first else { return nil }
            var registration = try Self.registration(found)
            registration.code = code
            return registration
        }
        guard let recovered else { throw WebinarError.recoveryLinkInvalid }
        return recovered
    }
}
