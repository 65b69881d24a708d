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

    /// What asking for a link comes to for a registration in `status` (nil: the email has none for the
    /// event) whose last link was queued at `lastSentAt`: ``Outcome/queued`` tells the store to queue one.
    public static func outcome(for status: RegistrationStatus?, lastSentAt: Date?, now: Date) -> Outcome {
        guard let status, status != .cancelled else { return .notRegistered }
        if let lastSentAt, now.timeIntervalSince(lastSentAt) < Self.minimumInterval { return .recentlySent }
        return .queued
    }

    /// Whether a link queued at `sentAt` still gives a registration in `status` a new code at `now`:
    /// never a cancelled one. The link of an offer mail works as long as the offer is open (its deadline
    /// `offerExpiresAt`), even beyond a day: claim windows reach a week.
    public static func redeemable(status: RegistrationStatus, sentAt: Date?, offerExpiresAt: Date?, now: Date) -> Bool {
        guard status != .cancelled else { return false }
        if status == .offered, let offerExpiresAt, now < offerExpiresAt { return true }
        guard let sentAt else { return false }
        return now.timeIntervalSince(sentAt) < Self.validity
    }
}
