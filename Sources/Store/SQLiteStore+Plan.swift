import Foundation
import GRDB
import Webinar

/// SQLite's side of ``RegistrationPlan``: the waiting list's head a command needs, and the writing of
/// what the plan decided, in the caller's transaction.
extension SQLiteStore {
    /// The first waitlisted registrations in queue order, as many as a command freeing `seats` may fill.
    static func waitingHead(_ db: Database, _ event: Event, freeing seats: Int) throws -> [RegistrationPlan.Row] {
        let count = RegistrationPlan.waitingNeeded(event, freeing: seats)
        guard count > 0 else { return [] }
        return try RegistrationRecord.fetchAll(
            db.cachedStatement(
                sql: "SELECT * FROM registrations WHERE event_id = ? AND status = 'waitlisted' ORDER BY queue LIMIT ?"),
            arguments: [event.id, count]
        ).map(\.planRow)
    }

    /// Writes `changes`: the event's counters, each registration's status and offer deadline, and the
    /// mail; an offer mail carries a new one-time link to the ticket page (its token kept hashed, as a
    /// ticket link's). Returns the registrations that got a seat or an offer.
    static func apply(_ db: Database, _ changes: RegistrationPlan.Changes, to event: inout EventRecord, now: Date) throws
        -> [Registration]
    {
        guard !changes.isEmpty else { return [] }
        event.ticketsIssued = changes.event.ticketsIssued
        event.offersOpen = changes.event.offersOpen
        event.waitlistLength = changes.event.waitlistLength
        try db.cachedStatement(
            sql: "UPDATE events SET tickets_issued = ?, offers_open = ?, waitlist_length = ? WHERE id = ?"
        ).execute(arguments: [event.ticketsIssued, event.offersOpen, event.waitlistLength, event.id])
        let update = try db.cachedStatement(sql: "UPDATE registrations SET status = ?, offer_expires_at = ? WHERE id = ?")
        for change in changes.updates {
            try update.execute(arguments: [change.status.rawValue, change.offerExpiresAt?.timeIntervalSince1970, change.id])
        }
        for mail in changes.mails {
            var secret: String?
            if mail.kind == .offered {
                let token = SecretCode.make(.recoveryToken)
                try db.cachedStatement(sql: "UPDATE registrations SET recovery_hash = ?, recovery_sent_at = ? WHERE id = ?")
                    .execute(arguments: [SecretCode.hash(token), now.timeIntervalSince1970, mail.registrationId])
                secret = token
            }
            try Self.queueMail(
                db, eventId: changes.event.id, registrationId: mail.registrationId, kind: mail.kind, position: nil,
                linkSecret: secret, now: now)
        }
        let ids = changes.promoted.map(\.id)
        guard !ids.isEmpty else { return [] }
        let records = try RegistrationRecord.fetchAll(db, keys: ids)
        let byId = Dictionary(uniqueKeysWithValues: records.compactMap { record in record.id.map { ($0, record) } })
        return ids.compactMap { byId[$0]?.registration(slug: event.slug, position: nil) }
    }
}
