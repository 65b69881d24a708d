public import Foundation

/// The rules of the ticket link a person can ask for by email: stores keep only a code's hash, so a
/// lost code cannot be sent again, only replaced, and only by whoever reads that mailbox.
public enum TicketLink {
    /// At most one link per registration in this long: asking again cannot flood a mailbox.
    public static let minimumInterval: TimeInterval = 5 * 60
    /// How long a link works (once).
    public static let validity: TimeInterval = 24 * 3600

    /// What asking for a link came to. Never shown as such to the asker: the answer must not tell
    /// whether an email is registered.
    public enum Outcome: Sendable, Equatable {
        /// A message with a new link was queued.
        case queued
        /// A link was queued less than ``minimumInterval`` ago; nothing new was queued.
        case recentlySent
        /// The email has no active registration for the event.
        case notRegistered
    }

    /// Whether a link queued at `sentAt` still blocks a new one at `now`.
    public static func isRecent(_ sentAt: Date?, now: Date) -> Bool {
        guard let sentAt else { return false }
        return now.timeIntervalSince(sentAt) < Self.minimumInterval
    }

    /// Whether a link queued at `sentAt` still works at `now`. The link of an offer mail works as long
    /// as the offer is open (`heldUntil`, its deadline), even beyond a day: claim windows reach a week.
    public static func isValid(sentAt: Date?, now: Date, heldUntil: Date? = nil) -> Bool {
        if let heldUntil, now < heldUntil { return true }
        guard let sentAt else { return false }
        return now.timeIntervalSince(sentAt) < Self.validity
    }
}
