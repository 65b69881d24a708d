import Foundation
import Webinar

/// The in-memory store's side of ``RegistrationPlan``: the rows a command needs, and the writing of
/// what the plan decided, as SQLite and PostgreSQL do inside their transactions.
extension InMemoryState {
    /// The registration as the plan sees it.
    func planRow(_ id: Int64) -> RegistrationPlan.Row? {
        guard let row = self.registrations[id] else { return nil }
        return RegistrationPlan.Row(
            id: id, status: row.registration.status, queue: row.queue, offerExpiresAt: row.registration.offerExpiresAt)
    }

    /// The first `count` waitlisted registrations in queue order.
    func waitingHead(eventId: Int64, count: Int) -> [RegistrationPlan.Row] {
        guard count > 0 else { return [] }
        return self.waitlist(eventId: eventId).prefix(count).compactMap { self.planRow($0) }
    }

    /// Writes `changes` for the event: its counters, each row's status and deadline, and the mail; an
    /// offer mail carries a new one-time link to the ticket page (its token kept hashed, like a ticket
    /// link's). Returns the registrations that got a seat or an offer.
    mutating func apply(_ changes: RegistrationPlan.Changes, eventId: Int64, now: Date) -> [Registration] {
        self.events[eventId]?.event = changes.event
        for update in changes.updates {
            self.registrations[update.id]?.registration.status = update.status
            self.registrations[update.id]?.registration.offerExpiresAt = update.offerExpiresAt
        }
        for mail in changes.mails {
            var secret: String?
            if mail.kind == .offered {
                let token = SecretCode.make(.recoveryToken)
                if let old = self.registrations[mail.registrationId]?.recoveryHash {
                    self.registrationIdsByRecoveryHash[old] = nil
                }
                self.registrations[mail.registrationId]?.recoveryHash = SecretCode.hash(token)
                self.registrations[mail.registrationId]?.recoverySentAt = now
                self.registrationIdsByRecoveryHash[SecretCode.hash(token)] = mail.registrationId
                secret = token
            }
            self.queueMail(
                eventId: eventId, registrationId: mail.registrationId, kind: mail.kind, position: nil, linkSecret: secret,
                now: now)
        }
        return changes.promoted.compactMap { self.registrations[$0.id]?.registration }
    }

    /// The registration behind `code` with its plan row, or `registration_not_found`.
    func planRow(code: String) throws(WebinarError) -> RegistrationPlan.Row {
        guard let id = self.registrationIdsByCodeHash[SecretCode.hash(code)], let row = self.planRow(id) else {
            throw .registrationNotFound
        }
        return row
    }
}
