import Foundation
import Webinar

/// `Event` as the contract shows it. Hosts also see moderation settings (blocked words).
struct EventBody: Encodable {
    let event: Event
    let now: Date
    let forHost: Bool

    enum Keys: String, CodingKey {
        case slug, title, description, startsAt, endsAt, timeZone, capacity, ticketsIssued, seatsLeft, waitlistLength
        case offersOpen, claimWindowMinutes
        case registrationOpen, state, publicViewing, moderation, slowModeSeconds, blockedWords
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(self.event.slug, forKey: .slug)
        try c.encode(self.event.title, forKey: .title)
        try c.encode(self.event.description, forKey: .description)
        try c.encode(RFC3339.format(self.event.startsAt), forKey: .startsAt)
        try c.encode(self.event.endsAt.map(RFC3339.format), forKey: .endsAt)
        try c.encode(self.event.timeZone, forKey: .timeZone)
        try c.encode(self.event.capacity, forKey: .capacity)
        try c.encode(self.event.ticketsIssued, forKey: .ticketsIssued)
        try c.encode(self.event.seatsLeft, forKey: .seatsLeft)
        try c.encode(self.event.waitlistLength, forKey: .waitlistLength)
        try c.encode(self.event.offersOpen, forKey: .offersOpen)
        try c.encode(self.event.claimWindowMinutes, forKey: .claimWindowMinutes)
        try c.encode(self.event.registrationOpen, forKey: .registrationOpen)
        try c.encode(self.event.state(at: self.now).rawValue, forKey: .state)
        try c.encode(self.event.publicViewing, forKey: .publicViewing)
        try c.encode(self.event.moderation.rawValue, forKey: .moderation)
        try c.encode(self.event.slowModeSeconds, forKey: .slowModeSeconds)
        if self.forHost { try c.encode(self.event.blockedWords, forKey: .blockedWords) }
    }
}

/// A created event: the event plus its host key, shown this once.
struct CreatedEventBody: Encodable {
    let event: EventBody
    let hostKey: String

    enum Keys: String, CodingKey { case hostKey }

    func encode(to encoder: any Encoder) throws {
        try self.event.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(self.hostKey, forKey: .hostKey)
    }
}

/// A registration as its holder sees it: never the email. `code` only when the caller holds it (it
/// gave it, or it was just made for them).
struct RegistrationBody: Encodable {
    let registration: Registration

    enum Keys: String, CodingKey { case code, status, position, offerExpiresAt, name, event, authorId, createdAt }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(self.registration.code, forKey: .code)
        try c.encode(self.registration.status.rawValue, forKey: .status)
        try c.encode(self.registration.position, forKey: .position)
        try c.encode(self.registration.offerExpiresAt.map(RFC3339.format), forKey: .offerExpiresAt)
        try c.encode(self.registration.name, forKey: .name)
        try c.encode(self.registration.eventSlug, forKey: .event)
        try c.encode(self.registration.authorId, forKey: .authorId)
        try c.encode(RFC3339.format(self.registration.createdAt), forKey: .createdAt)
    }
}

/// What registering again with a known email answers: the status and place, never the code, nor
/// the name (whoever knows an email learns no more than that it is registered); the code's owner gets
/// a ticket link by mail.
struct ExistingRegistrationBody: Encodable {
    let registration: Registration

    enum Keys: String, CodingKey { case status, position, event, linkSent, message }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(self.registration.status.rawValue, forKey: .status)
        try c.encode(self.registration.position, forKey: .position)
        try c.encode(self.registration.eventSlug, forKey: .event)
        try c.encode(true, forKey: .linkSent)
        try c.encode(TicketLinkAnswer.message, forKey: .message)
    }
}

/// The one answer to `POST /api/registrations/resend`, whether or not the email is registered: fixed
/// bytes, so not even the order of its keys can differ between the two.
enum TicketLinkAnswer {
    static let message =
        "This email is already registered: a link to its ticket was sent to it (at most one link every 5 minutes)."
    static let body = Array(
        #"{"linkSent":true,"message":"If this email is registered for this event, a link to its ticket is on its way (at most one every 5 minutes)."}"#
            .utf8)
}

/// A registration as the host sees it in the list: people are told apart by `authorId` (what their
/// comments carry), never by their ticket code, which no store keeps.
struct HostRegistrationBody: Encodable {
    let registration: Registration

    enum Keys: String, CodingKey { case authorId, name, email, status, position, offerExpiresAt, createdAt }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(self.registration.authorId, forKey: .authorId)
        try c.encode(self.registration.name, forKey: .name)
        try c.encode(self.registration.email, forKey: .email)
        try c.encode(self.registration.status.rawValue, forKey: .status)
        try c.encode(self.registration.position, forKey: .position)
        try c.encode(self.registration.offerExpiresAt.map(RFC3339.format), forKey: .offerExpiresAt)
        try c.encode(RFC3339.format(self.registration.createdAt), forKey: .createdAt)
    }
}
