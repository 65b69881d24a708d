public import Foundation

/// The durable mail outbox, part of every store.
///
/// Rows are written by the store itself, in the same transaction as the change that causes them (a
/// registration, a cancellation and the promotion it triggers, a capacity raise, a time change), so a
/// committed change always has its message and a rolled-back one never does. The sender drains them
/// at least once: a crash between the server's acceptance and the store's record sends a message
/// twice (with the same Message-ID), never zero times.
public protocol MailOutbox: Sendable {
    /// Whether a pending message is due at `now` (a cheap check before opening an SMTP session).
    func hasDueMail(now: Date) throws -> Bool
    /// Claims up to `limit` of the oldest due pending messages, calls `deliver` with each in order, and
    /// records what it returns; returns how many were delivered (0: nothing was due). While `deliver`
    /// runs no other sender (on this node or another sharing the database) can claim that message. A
    /// store may record a batch's outcomes together, so a crash in the middle sends at most `limit`
    /// messages again (with their Message-IDs), never loses one.
    func deliverDueMail(now: Date, limit: Int, _ deliver: (OutboxMail) -> MailDelivery) throws -> Int
    /// Queues a reminder for every ticket holder of each event starting within `lead` of `now` (and
    /// not started yet) that has had none for its current start time; returns how many were queued.
    /// With several nodes each reminder is queued once.
    func queueReminders(now: Date, lead: TimeInterval) throws -> Int
    /// Every message of the event, oldest first, for its host.
    func mailLog(slug: String) throws -> [MailRecord]
    /// Makes failed messages pending again (of one event, or all), due at once; returns how many.
    func retryFailedMail(slug: String?, now: Date) throws -> Int
    func mailStats() throws -> MailStats
}
