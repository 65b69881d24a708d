import Foundation

/// One sign-up as submitted, before the store decides its seat: the event's slug and the name and
/// email, checked and normalized once when the request is made (``NewRegistration``; the name rules
/// fold and scan the text, which is not work for the single writer to do again).
public struct RegistrationRequest: Sendable, Equatable {
    public var slug: String
    /// The checked name and email, or why they were refused (answered in the batch, in order).
    public var registrant: Result<NewRegistration, WebinarError>

    public init(slug: String, name: String, email: String) {
        self.slug = slug
        self.registrant = Result { () throws(WebinarError) in try NewRegistration(name: name, email: email) }
    }

    public init(slug: String, registrant: NewRegistration) {
        self.slug = slug
        self.registrant = .success(registrant)
    }
}

/// What registering one request gives: the registration and whether it is new (or reactivated).
public typealias RegistrationOutcome = (registration: Registration, created: Bool)
