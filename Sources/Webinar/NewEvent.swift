public import Foundation

/// What an admin sends to create an event (`POST /api/events`).
public struct NewEvent: Sendable, Equatable {
    /// Absent: the store derives one from the title (``Slug/derive(from:)``) and adds a suffix if taken.
    public var slug: String?
    public var title: String
    public var description: String?
    public var startsAt: Date
    public var endsAt: Date?
    /// An IANA time zone name; nil: the event's times are shown in UTC only.
    public var timeZone: String?
    public var capacity: Int
    public var publicViewing: Bool?
    public var moderation: ModerationMode?
    /// Absent: ``Validation/defaultClaimWindowMinutes``.
    public var claimWindowMinutes: Int?

    public init(
        slug: String? = nil, title: String, description: String? = nil, startsAt: Date, endsAt: Date? = nil,
        timeZone: String? = nil, capacity: Int, publicViewing: Bool? = nil, moderation: ModerationMode? = nil,
        claimWindowMinutes: Int? = nil
    ) {
        self.claimWindowMinutes = claimWindowMinutes
        self.slug = slug
        self.title = title
        self.description = description
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.capacity = capacity
        self.publicViewing = publicViewing
        self.moderation = moderation
    }

    /// A normalized copy (trimmed title and description) or the first broken rule.
    /// `slug` stays nil when absent, so the store knows to derive one.
    public func validated() throws(WebinarError) -> NewEvent {
        var copy = self
        if let slug { copy.slug = try Slug.validate(slug) }
        copy.title = try Validation.title(self.title)
        copy.description = try self.description.map { (text) throws(WebinarError) in try Validation.description(text) }
        try Validation.schedule(startsAt: self.startsAt, endsAt: self.endsAt)
        copy.timeZone = try self.timeZone.map { (name) throws(WebinarError) in try Validation.timeZone(name) }
        copy.capacity = try Validation.capacity(self.capacity)
        copy.claimWindowMinutes = try self.claimWindowMinutes.map { (minutes) throws(WebinarError) in
            try Validation.claimWindowMinutes(minutes)
        }
        return copy
    }

    /// The event this input describes, before the store gives it an id and a final slug.
    public func event(id: Int64, slug: String, createdAt: Date) -> Event {
        Event(
            id: id, slug: slug, title: self.title, description: self.description ?? "", startsAt: self.startsAt,
            endsAt: self.endsAt, timeZone: self.timeZone, capacity: self.capacity, publicViewing: self.publicViewing ?? true,
            moderation: self.moderation ?? .open, createdAt: createdAt,
            claimWindowMinutes: self.claimWindowMinutes ?? Validation.defaultClaimWindowMinutes)
    }
}
