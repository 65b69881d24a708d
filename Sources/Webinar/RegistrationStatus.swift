import Foundation

/// A registration's standing; raw values are the contract's `status` strings.
public enum RegistrationStatus: String, Sendable, Codable, CaseIterable {
    /// Holds a seat.
    case ticketed
    /// A freed seat is held for this person until ``Registration/offerExpiresAt``: claim it to get the
    /// ticket, decline it (or let it lapse) and it passes to the next person waiting.
    case offered
    case waitlisted, cancelled
}
