public import Foundation

/// A message from the outbox with everything its text needs, read when it is sent: the event as it is
/// now (times, title, the schedule's sequence) and the registration it is for.
public struct OutboxMail: Sendable, Equatable {
    public var id: Int64
    public var kind: MailKind
    public var event: Event
    /// How many times the host moved the event; an invitation's SEQUENCE.
    public var scheduleSequence: Int
    public var registration: Registration
    /// The waitlist place when the message was queued (``MailKind/waitlisted`` only).
    public var position: Int?
    /// The secret the message's link carries, kept with the message only until it leaves: the ticket
    /// code for a message queued with a new code (registering), the recovery token
    /// of a ``MailKind/ticketLink``; nil otherwise (stores keep only hashes, so a later message cannot
    /// link to the ticket itself).
    public var linkSecret: String?
    /// Failed attempts so far.
    public var attempts: Int
    public var createdAt: Date

    public init(
        id: Int64, kind: MailKind, event: Event, scheduleSequence: Int, registration: Registration, position: Int?,
        linkSecret: String? = nil, attempts: Int, createdAt: Date
    ) {
        self.linkSecret = linkSecret
        self.id = id
        self.kind = kind
        self.event = event
        self.scheduleSequence = scheduleSequence
        self.registration = registration
        self.position = position
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// What became of one attempt to send an outbox message; the store records it.
public enum MailDelivery: Sendable, Equatable {
    /// Accepted; `reply` is the server's answer (or where the `.eml` file went).
    case sent(reply: String, at: Date)
    /// Not accepted this time; try again from `next` on.
    case retry(reply: String, at: Date, next: Date)
    /// Refused for good.
    case failed(reply: String, at: Date)
}

/// One message as the host sees it (`GET /api/events/{slug}/mail`).
public struct MailRecord: Sendable, Equatable {
    public var id: Int64
    public var kind: MailKind
    public var registrationId: Int64
    public var name: String
    public var email: String
    public var status: MailStatus
    public var attempts: Int
    public var createdAt: Date
    /// When the next attempt may run (pending only).
    public var nextAttemptAt: Date?
    /// When the server accepted it (sent), or when it was refused for good (failed).
    public var finishedAt: Date?
    /// The mail server's last answer, or why it could not be reached.
    public var reply: String?

    public init(
        id: Int64, kind: MailKind, registrationId: Int64, name: String, email: String, status: MailStatus,
        attempts: Int, createdAt: Date, nextAttemptAt: Date?, finishedAt: Date?, reply: String?
    ) {
        self.id = id
        self.kind = kind
        self.registrationId = registrationId
        self.name = name
        self.email = email
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.finishedAt = finishedAt
        self.reply = reply
    }
}

/// The outbox in numbers, for `/metrics`.
public struct MailStats: Sendable, Equatable {
    public var pending: Int
    public var failed: Int
    /// When the oldest pending message was queued.
    public var oldestPending: Date?

    public init(pending: Int, failed: Int, oldestPending: Date?) {
        self.pending = pending
        self.failed = failed
        self.oldestPending = oldestPending
    }
}
