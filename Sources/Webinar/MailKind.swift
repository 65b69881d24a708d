/// Why a person is mailed; raw values are the outbox's `kind` column and the host view's field.
public enum MailKind: String, Sendable, Codable, CaseIterable {
    /// A new registration got a ticket (ticket link and invitation).
    case confirmed
    /// A new registration got a place on the waiting list.
    case waitlisted
    /// A waitlisted registration got a seat (ticket link and invitation).
    case promoted
    /// A freed seat is held for a waitlisted registration until a deadline: a one-time link to the
    /// ticket page, where it is claimed or declined.
    case offered
    /// An offer was not claimed by its deadline: the seat passed on and the registration ended.
    case offerExpired = "offer_expired"
    /// A ticket was cancelled (the invitation is withdrawn).
    case cancelled
    /// A waitlisted registration left the waiting list.
    case waitlistLeft = "waitlist_left"
    /// The host moved the event (an updated invitation with a higher sequence).
    case rescheduled
    /// The event starts soon (ticket holders only).
    case reminder
    /// Someone asked for the link to this registration's ticket (registering again, or "lost your
    /// ticket?"): a one-time recovery link, since stores keep only the code's hash.
    case ticketLink = "ticket_link"

    /// The mail a registration's status calls for right after registering.
    public static func afterRegistering(_ status: RegistrationStatus) -> MailKind? {
        switch status {
        case .ticketed: .confirmed
        case .waitlisted: .waitlisted
        case .offered, .cancelled: nil
        }
    }

    /// The mail a cancellation calls for, given the status it ended.
    public static func afterCancelling(_ previous: RegistrationStatus) -> MailKind? {
        switch previous {
        case .ticketed: .cancelled
        case .waitlisted, .offered: .waitlistLeft
        case .cancelled: nil
        }
    }
}

/// Where one outbox message stands.
public enum MailStatus: String, Sendable, Codable, CaseIterable {
    /// Not yet accepted by the mail server; retried with backoff.
    case pending
    /// Accepted by the mail server (or written to the `.eml` folder).
    case sent
    /// Refused for good (a 5yz reply, an address that cannot be mailed, or too many transient failures).
    case failed
}
