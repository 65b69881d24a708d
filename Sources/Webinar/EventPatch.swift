public import Foundation

/// What a host sends to change an event (`PATCH /api/events/{slug}`); nil leaves a field alone.
public struct EventPatch: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var startsAt: Date?
    /// `.some(nil)` removes the end time; nil leaves it alone.
    public var endsAt: Date??
    /// `.some(nil)` removes the time zone (UTC only); nil leaves it alone.
    public var timeZone: String??
    public var capacity: Int?
    public var registrationOpen: Bool?
    public var moderation: ModerationMode?
    public var slowModeSeconds: Int?
    public var publicViewing: Bool?
    public var blockedWords: [String]?
    /// A new claim window; offers already made keep their deadline.
    public var claimWindowMinutes: Int?

    public init(
        title: String? = nil, description: String? = nil, startsAt: Date? = nil, endsAt: Date?? = nil,
        timeZone: String?? = nil, capacity: Int? = nil, registrationOpen: Bool? = nil, moderation: ModerationMode? = nil,
        slowModeSeconds: Int? = nil, publicViewing: Bool? = nil, blockedWords: [String]? = nil,
        claimWindowMinutes: Int? = nil
    ) {
        self.claimWindowMinutes = claimWindowMinutes
        self.title = title
        self.description = description
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.capacity = capacity
        self.registrationOpen = registrationOpen
        self.moderation = moderation
        self.slowModeSeconds = slowModeSeconds
        self.publicViewing = publicViewing
        self.blockedWords = blockedWords
    }

    /// `event` with this patch applied, or the first broken rule.
    ///
    /// Checks each field, then the combination (the end after the start, using the event's current
    /// values for fields the patch leaves alone), then that capacity does not drop below the tickets
    /// already issued (`capacity_below_tickets`, a conflict: the host can only wait for cancellations).
    /// The caller gives the freed seats on (``RegistrationPlan/capacityChanged(_:waiting:now:)``).
    public func applied(to event: Event) throws(WebinarError) -> Event {
        var next = event
        if let title { next.title = try Validation.title(title) }
        if let description { next.description = try Validation.description(description) }
        if let startsAt { next.startsAt = startsAt }
        if let endsAt { next.endsAt = endsAt }
        try Validation.schedule(startsAt: next.startsAt, endsAt: next.endsAt)
        if let timeZone { next.timeZone = try timeZone.map { (name) throws(WebinarError) in try Validation.timeZone(name) } }
        if let capacity {
            next.capacity = try Validation.capacity(capacity)
            // Offered seats are held like tickets: lowering below them would take a seat already promised.
            let held = event.ticketsIssued + event.offersOpen
            guard capacity >= held else {
                throw .capacityBelowTickets(capacity: capacity, ticketsIssued: held)
            }
        }
        if let registrationOpen { next.registrationOpen = registrationOpen }
        if let moderation { next.moderation = moderation }
        if let slowModeSeconds { next.slowModeSeconds = try Validation.slowModeSeconds(slowModeSeconds) }
        if let publicViewing { next.publicViewing = publicViewing }
        if let blockedWords { next.blockedWords = try Validation.blockedWords(blockedWords) }
        if let claimWindowMinutes { next.claimWindowMinutes = try Validation.claimWindowMinutes(claimWindowMinutes) }
        return next
    }
}
