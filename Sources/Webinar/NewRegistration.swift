import Foundation

/// A person's sign-up (`POST /api/events/{slug}/registrations`), normalized.
public struct NewRegistration: Sendable, Equatable {
    /// Trimmed, with no control characters.
    public var name: String
    /// Trimmed and lowercased, so case and whitespace variants find the same registration.
    public var email: String

    /// Validates and normalizes both fields, name first.
    public init(name: String, email: String) throws(WebinarError) {
        self.name = try Validation.name(name)
        self.email = try Validation.email(email)
    }
}
