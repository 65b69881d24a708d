public import Foundation

/// One person's place at one event: a ticket, a seat offered for a while, a waitlist spot, or a cancelled one.
///
/// `code` is the holder's secret (never shown to others); `authorId` is a separate random
/// public id that comments carry, so a comment never leaks a code. Stores keep only the code's hash
/// (``SecretCode/hash(_:)``), so `code` is known only where it was just made (a new or reactivated
/// registration) or given by its holder; a registration read back from a store has `code == nil`.
public struct Registration: Sendable, Equatable, Codable {
    public var id: Int64
    public var eventId: Int64
    public var eventSlug: String
    public var code: String?
    public var authorId: String
    public var name: String
    /// Trimmed and lowercased (see ``NewRegistration``).
    public var email: String
    public var status: RegistrationStatus
    /// Current 1-based waitlist place; nil unless waitlisted.
    public var position: Int?
    public var createdAt: Date
    /// Until when an offered seat is held (``RegistrationStatus/offered``); kept after the offer lapsed
    /// (the registration is then cancelled), so a late claim is told `offer_expired`.
    public var offerExpiresAt: Date?

    public init(
        id: Int64, eventId: Int64, eventSlug: String, code: String?, authorId: String, name: String, email: String,
        status: RegistrationStatus, position: Int?, createdAt: Date, offerExpiresAt: Date? = nil
    ) {
        self.offerExpiresAt = offerExpiresAt
        self.id = id
        self.eventId = eventId
        self.eventSlug = eventSlug
        self.code = code
        self.authorId = authorId
        self.name = name
        self.email = email
        self.status = status
        self.position = position
        self.createdAt = createdAt
    }
}
