import Foundation

/// One sign-up as submitted, before the store decides its seat: the event's slug and the raw name and
/// email (the store validates and normalizes them with ``NewRegistration``).
public struct RegistrationRequest: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var email: String

    public init(slug: String, name: String, email: String) {
        self.slug = slug
        self.name = name
        self.email = email
    }
}

/// What registering one request gives: the registration and whether it is new (or reactivated).
public typealias RegistrationOutcome = (registration: Registration, created: Bool)
