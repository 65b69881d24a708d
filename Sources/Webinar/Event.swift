public import Foundation

/// A webinar: its schedule, its seats and its room rules, with seat counts as of the read.
public struct Event: Sendable, Equatable, Codable {
    public var id: Int64
    public var slug: String
    public var title: String
    public var description: String
    public var startsAt: Date
    public var endsAt: Date?
    /// The IANA time zone the host plans in (`Europe/Berlin`), shown beside UTC; nil: UTC only.
    public var timeZone: String?
    public var capacity: Int
    public var ticketsIssued: Int
    /// Seats held for someone who may still claim them (``RegistrationStatus/offered``).
    public var offersOpen: Int
    public var waitlistLength: Int
    /// How long a freed seat is held for the first person waiting before it passes on; 0 gives it
    /// at once (see ``RegistrationPlan``).
    public var claimWindowMinutes: Int
    public var registrationOpen: Bool
    public var publicViewing: Bool
    public var moderation: ModerationMode
    /// Minimum seconds between two comments of one attendee; 0 turns slow mode off.
    public var slowModeSeconds: Int
    /// Words that send a comment to review; compared case-insensitively (see ``BlockedWords``).
    public var blockedWords: [String]
    public var createdAt: Date

    public init(
        id: Int64, slug: String, title: String, description: String = "", startsAt: Date, endsAt: Date? = nil,
        timeZone: String? = nil, capacity: Int, ticketsIssued: Int = 0, waitlistLength: Int = 0, registrationOpen: Bool = true,
        publicViewing: Bool = true, moderation: ModerationMode = .open, slowModeSeconds: Int = 0,
        blockedWords: [String] = [], createdAt: Date, offersOpen: Int = 0,
        claimWindowMinutes: Int = Validation.defaultClaimWindowMinutes
    ) {
        self.offersOpen = offersOpen
        self.claimWindowMinutes = claimWindowMinutes
        self.id = id
        self.slug = slug
        self.title = title
        self.description = description
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.capacity = capacity
        self.ticketsIssued = ticketsIssued
        self.waitlistLength = waitlistLength
        self.registrationOpen = registrationOpen
        self.publicViewing = publicViewing
        self.moderation = moderation
        self.slowModeSeconds = slowModeSeconds
        self.blockedWords = blockedWords
        self.createdAt = createdAt
    }

    /// Seats neither ticketed nor held by an offer; never negative.
    public var seatsLeft: Int { max(0, self.capacity - self.ticketsIssued - self.offersOpen) }

    /// How many waitlisted registrations can be given a free seat right now (bounded by the queue).
    public var promotable: Int { min(self.seatsLeft, self.waitlistLength) }

    /// Scheduled before `startsAt`, ended from `endsAt` on, live in between.
    /// Without `endsAt` an event stays live once started, until a host sets an end.
    public func state(at now: Date) -> EventState {
        if now < self.startsAt { return .scheduled }
        if let endsAt = self.endsAt, now >= endsAt { return .ended }
        return .live
    }
}
