public import Foundation
import Synchronization
public import Webinar

/// Ticket links in memory: the rules of ``WebinarStore/requestTicketLink(slug:email:now:)`` and
/// ``WebinarStore/recoverTicket(token:now:)`` under the store's lock.
extension InMemoryStore {
    public func requestTicketLink(slug: String, email: String, now: Date) throws -> TicketLink.Outcome {
        try self.state.withLock { (state) throws(WebinarError) in
            guard let eventId = state.eventIds[slug] else { throw .eventNotFound }
            let id = state.registrationIdsByEmail[eventId]?[email]
            let row = id.flatMap { state.registrations[$0] }
            let outcome = TicketLink.outcome(for: row?.registration.status, lastSentAt: row?.recoverySentAt, now: now)
            guard outcome == .queued, let id, let row else { return outcome }
            let token = SecretCode.make(.recoveryToken)
            if let old = row.recoveryHash { state.registrationIdsByRecoveryHash[old] = nil }
            state.registrations[id]?.recoveryHash = SecretCode.hash(token)
            state.registrations[id]?.recoverySentAt = now
            state.registrationIdsByRecoveryHash[SecretCode.hash(token)] = id
            state.queueMail(eventId: eventId, registrationId: id, kind: .ticketLink, position: nil, linkSecret: token, now: now)
            return .queued
        }
    }

    public func recoverTicket(token: String, now: Date) throws -> Registration {
        try self.state.withLock { (state) throws(WebinarError) in
            let hash = SecretCode.hash(token)
            guard let id = state.registrationIdsByRecoveryHash[hash], let row = state.registrations[id] else {
                throw .recoveryLinkInvalid
            }
            state.registrationIdsByRecoveryHash[hash] = nil
            state.registrations[id]?.recoveryHash = nil
            guard
                TicketLink.redeemable(
                    status: row.registration.status, sentAt: row.recoverySentAt,
                    offerExpiresAt: row.registration.offerExpiresAt, now: now)
            else { throw .recoveryLinkInvalid }
            let code = SecretCode.make(.ticketCode)
            state.registrationIdsByCodeHash[row.codeHash] = nil
            state.registrationIdsByCodeHash[SecretCode.hash(code)] = id
            state.registrations[id]?.codeHash = SecretCode.hash(code)
            var registration = state.withPosition(id)!
            registration.code = code
            return registration
        }
    }
}
