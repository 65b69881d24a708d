public import Foundation
import Synchronization
public import Webinar

/// Ticket links in memory: the rules of ``WebinarStore/requestTicketLink(slug:email:now:)`` and
/// ``WebinarStore/recoverTicket(token:now:)`` under the store's lock.
extension InMemoryStore {
    public func requestTicketLink(slug: String, email: String, now: Date) throws -> TicketLink.Outcome {
        try self.state.withLock { (state) throws(WebinarError) in
            guard let eventId = state.eventIds[slug] else { throw .eventNotFound }
            guard let id = state.registrationIdsByEmail[eventId]?[email], let row = state.registrations[id],
                row.registration.status != .cancelled
            else { return .notRegistered }
            if TicketLink.isRecent(row.recoverySentAt, now: now) { return .recentlySent }
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
            guard row.registration.status != .cancelled,
                TicketLink.isValid(
                    sentAt: row.recoverySentAt, now: now,
                    heldUntil: row.registration.status == .offered ? row.registration.offerExpiresAt : nil)
            else {
                throw .recoveryLinkInvalid
            }
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
