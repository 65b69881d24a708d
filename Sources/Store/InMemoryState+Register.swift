import Foundation
import Webinar

extension InMemoryState {
    /// Registers `new` for the event `slug`: the rules of ``WebinarStore/register(slug:name:email:now:)``.
    /// Every failure is thrown before anything changes, so a failed request leaves the state as it was.
    mutating func register(slug: String, new: NewRegistration, now: Date) throws(WebinarError) -> RegistrationOutcome {
        guard let eventId = self.eventIds[slug], var row = self.events[eventId] else { throw .eventNotFound }
        let existingId = self.registrationIdsByEmail[eventId]?[new.email]
        if let existingId, let existing = self.withPosition(existingId), existing.status != .cancelled {
            return (existing, false)
        }
        guard row.event.registrationOpen else { throw .registrationClosed }

        let status = RegistrationPlan.register(&row.event)
        row.lastQueue += 1
        self.events[eventId] = row

        let id: Int64
        let code = SecretCode.make(.ticketCode)
        if let existingId {
            // A cancelled registration comes back at the end of the queue, with a new code.
            id = existingId
            if let old = self.registrations[id]?.codeHash { self.registrationIdsByCodeHash[old] = nil }
            self.registrations[id]?.codeHash = SecretCode.hash(code)
            self.registrationIdsByCodeHash[SecretCode.hash(code)] = id
            self.registrations[id]?.registration.name = new.name
            self.registrations[id]?.registration.status = status
            self.registrations[id]?.registration.offerExpiresAt = nil
            self.registrations[id]?.queue = row.lastQueue
        } else {
            id = self.nextRegistrationId
            self.nextRegistrationId += 1
            let registration = Registration(
                id: id, eventId: eventId, eventSlug: slug, code: nil, authorId: SecretCode.authorId(), name: new.name,
                email: new.email, status: status, position: nil, createdAt: now)
            self.registrations[id] = .init(registration: registration, codeHash: SecretCode.hash(code), queue: row.lastQueue)
            self.registrationIdsByCodeHash[SecretCode.hash(code)] = id
            self.registrationIdsByEmail[eventId, default: [:]][new.email] = id
            self.registrationIdsByEvent[eventId, default: []].append(id)
        }
        var registration = self.withPosition(id)!
        if let kind = MailKind.afterRegistering(status) {
            self.queueMail(
                eventId: eventId, registrationId: id, kind: kind, position: registration.position, linkSecret: code, now: now)
        }
        registration.code = code
        return (registration, true)
    }
}
