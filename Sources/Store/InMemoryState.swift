import Foundation
import Webinar

/// Everything an ``InMemoryStore`` holds; only ever touched under its mutex.
struct InMemoryState {
    struct EventRow {
        var event: Event
        var hostKeyHash: String
        var lastQueue: Int64 = 0
        var lastCommentId: Int64 = 0
        var scheduleSequence = 0
        var reminderFor: Date?
    }

    struct MailRow {
        var id: Int64
        var eventId: Int64
        var registrationId: Int64
        var kind: MailKind
        var position: Int?
        /// The ticket code the message links to, while it waits to be sent (see ``WebinarStore``).
        var linkSecret: String?
        var status: MailStatus = .pending
        var attempts = 0
        var nextAttemptAt: Date
        var createdAt: Date
        var finishedAt: Date?
        var reply: String?
    }

    struct RegistrationRow {
        /// Stored with `position` and `code` nil; positions are computed on read, codes kept as hashes.
        var registration: Registration
        var codeHash: String
        var queue: Int64
        /// The hash of the last recovery token mailed (``MailKind/ticketLink``) and when, until it is used.
        var recoveryHash: String?
        var recoverySentAt: Date?
    }

    struct LikeKey: Hashable {
        var eventId: Int64
        var commentId: Int64
        var likerId: String
    }

    var events: [Int64: EventRow] = [:]
    var eventIds: [String: Int64] = [:]
    var nextEventId: Int64 = 1
    var registrations: [Int64: RegistrationRow] = [:]
    /// By the code's hash (``SecretCode/hash(_:)``), as the databases keep it.
    var registrationIdsByCodeHash: [String: Int64] = [:]
    var registrationIdsByRecoveryHash: [String: Int64] = [:]
    var registrationIdsByEmail: [Int64: [String: Int64]] = [:]
    var registrationIdsByEvent: [Int64: [Int64]] = [:]
    var nextRegistrationId: Int64 = 1
    var comments: [Int64: [Int64: Comment]] = [:]
    /// Each comment's nonce, to answer a repeat with the first comment (see ``CommentNonces``).
    var nonces: [CommentNonceKey: Int64] = [:]
    var likes: Set<LikeKey> = []
    var log: [ModerationLogEntry] = []
    var mail: [MailRow] = []

    /// The event's waitlisted registration ids in queue order.
    func waitlist(eventId: Int64) -> [Int64] {
        (self.registrationIdsByEvent[eventId] ?? [])
            .compactMap { self.registrations[$0] }
            .filter { $0.registration.status == .waitlisted }
            .sorted { $0.queue < $1.queue }
            .map(\.registration.id)
    }

    /// The registration with its current waitlist place.
    func withPosition(_ id: Int64) -> Registration? {
        guard var registration = self.registrations[id]?.registration else { return nil }
        if registration.status == .waitlisted {
            registration.position = self.waitlist(eventId: registration.eventId).firstIndex(of: id).map { $0 + 1 }
        }
        return registration
    }

    /// Queues one message, as the stores do inside the change's transaction.
    mutating func queueMail(
        eventId: Int64, registrationId: Int64, kind: MailKind, position: Int?, linkSecret: String? = nil, now: Date
    ) {
        self.mail.append(
            MailRow(
                id: Int64(self.mail.count + 1), eventId: eventId, registrationId: registrationId, kind: kind,
                position: position, linkSecret: linkSecret, nextAttemptAt: now, createdAt: now))
    }

    /// Queues `kind` for every ticket holder of the event, in registration order.
    @discardableResult
    mutating func queueMailToTicketHolders(eventId: Int64, kind: MailKind, now: Date) -> Int {
        let holders = (self.registrationIdsByEvent[eventId] ?? []).filter { self.registrations[$0]?.registration.status == .ticketed }
        for id in holders { self.queueMail(eventId: eventId, registrationId: id, kind: kind, position: nil, now: now) }
        return holders.count
    }
}
