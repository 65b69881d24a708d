import Foundation

/// A registration's standing; raw values are the contract's `status` strings.
public enum RegistrationStatus: String, Sendable, Codable, CaseIterable {
    case ticketed, waitlisted, cancelled
}
