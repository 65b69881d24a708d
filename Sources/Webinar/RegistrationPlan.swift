public import Foundation

/// The seat rules, written once: who gets a ticket, a place on the waiting list or an offered seat,
/// for every command that changes registrations (register, cancel, claim, decline, offers expiring, a
/// capacity change).
///
/// Pure (no clock, no I/O): a store loads the event and the rows a command touches (the registration
/// itself, and the head of the waiting list: ``waitingNeeded(_:freeing:)`` rows in queue order), asks
/// the plan, and writes the ``Changes`` in the same transaction. So the three stores cannot disagree,
/// and the rules are tested directly (`RegistrationPlanPropertyTests`).
///
/// A freed seat goes to the first person waiting: as an offer held until a deadline when the event has
/// a claim window, else (window 0, or from 15 minutes before the start on) as a ticket at once.
public enum RegistrationPlan {
    /// No offer outlives this long before the start: from then on a freed seat is given at once, so a
    /// seat is never left empty because nobody claimed it in time.
    public static let lastOfferBeforeStart: TimeInterval = 15 * 60

    /// A registration as the rules need it.
    public struct Row: Sendable, Equatable {
        public var id: Int64
        public var status: RegistrationStatus
        /// The event's arrival counter: waiting-list order.
        public var queue: Int64
        public var offerExpiresAt: Date?

        public init(id: Int64, status: RegistrationStatus, queue: Int64, offerExpiresAt: Date? = nil) {
            self.id = id
            self.status = status
            self.queue = queue
            self.offerExpiresAt = offerExpiresAt
        }
    }

    /// A registration's new status (and offer deadline, nil to clear it).
    public struct Update: Sendable, Equatable {
        public var id: Int64
        public var status: RegistrationStatus
        public var offerExpiresAt: Date?

        public init(id: Int64, status: RegistrationStatus, offerExpiresAt: Date?) {
            self.id = id
            self.status = status
            self.offerExpiresAt = offerExpiresAt
        }
    }

    /// A message to queue in the same transaction.
    public struct Mail: Sendable, Equatable {
        public var registrationId: Int64
        public var kind: MailKind
    }

    /// What a command comes to: the event with its new counters, the rows to update in order, the
    /// mail to queue in order.
    public struct Changes: Sendable, Equatable {
        public var event: Event
        public var updates: [Update] = []
        public var mails: [Mail] = []
        /// The registrations that got a freed seat (a ticket or an offer), in waiting-list order.
        public fileprivate(set) var promoted: [Update] = []

        public init(event: Event) {
            self.event = event
        }

        /// True when nothing is to be written.
        public var isEmpty: Bool { self.updates.isEmpty && self.mails.isEmpty }
    }

    // MARK: Commands

    /// The status a new (or returning) registration gets, with `event`'s counters moved: a ticket while
    /// a seat is neither ticketed nor offered, else the end of the waiting list.
    public static func register(_ event: inout Event) -> RegistrationStatus {
        if event.seatsLeft > 0 {
            event.ticketsIssued += 1
            return .ticketed
        }
        event.waitlistLength += 1
        return .waitlisted
    }

    /// How many rows of the waiting list's head a store must load for a command that frees `seats`:
    /// the seats free after it, bounded by the list.
    public static func waitingNeeded(_ event: Event, freeing seats: Int) -> Int {
        max(0, min(event.seatsLeft + seats, event.waitlistLength))
    }

    /// Cancels `row`; a ticket or an offer it held goes to the next person waiting. Cancelling twice
    /// changes nothing.
    public static func cancel(_ row: Row, event: Event, waiting: [Row], now: Date) -> Changes {
        var changes = Changes(event: event)
        guard row.status != .cancelled else { return changes }
        changes.release(row)
        changes.updates.append(Update(id: row.id, status: .cancelled, offerExpiresAt: nil))
        if let kind = MailKind.afterCancelling(row.status) { changes.mails.append(Mail(registrationId: row.id, kind: kind)) }
        changes.fill(waiting.filter { $0.id != row.id }, now: now)
        return changes
    }

    /// Claims an open offer: the seat becomes a ticket (mailed with the invitation). A ticket claimed
    /// again is left as it is (a second click is not an error).
    public static func claim(_ row: Row, event: Event, now: Date) throws(WebinarError) -> Changes {
        var changes = Changes(event: event)
        if row.status == .ticketed { return changes }
        try Self.requireOpenOffer(row, now: now)
        changes.event.offersOpen -= 1
        changes.event.ticketsIssued += 1
        changes.updates.append(Update(id: row.id, status: .ticketed, offerExpiresAt: nil))
        changes.mails.append(Mail(registrationId: row.id, kind: .promoted))
        return changes
    }

    /// Declines an open offer: the registration is cancelled (a `waitlist_left` mail confirms it) and the
    /// seat passes on at once.
    public static func decline(_ row: Row, event: Event, waiting: [Row], now: Date) throws(WebinarError) -> Changes {
        try Self.requireOpenOffer(row, now: now)
        var changes = Changes(event: event)
        changes.release(row)
        changes.updates.append(Update(id: row.id, status: .cancelled, offerExpiresAt: nil))
        changes.mails.append(Mail(registrationId: row.id, kind: .waitlistLeft))
        changes.fill(waiting.filter { $0.id != row.id }, now: now)
        return changes
    }

    /// Lets every offer of `offers` whose deadline is `now` or earlier lapse (the registration is
    /// cancelled, its deadline kept so a late claim says `offer_expired`, and told by mail) and passes
    /// the seats on.
    public static func expire(_ offers: [Row], event: Event, waiting: [Row], now: Date) -> Changes {
        var changes = Changes(event: event)
        let lapsed = offers.filter { $0.status == .offered && ($0.offerExpiresAt ?? now) <= now }.sorted { $0.queue < $1.queue }
        for row in lapsed {
            changes.release(row)
            changes.updates.append(Update(id: row.id, status: .cancelled, offerExpiresAt: row.offerExpiresAt))
            changes.mails.append(Mail(registrationId: row.id, kind: .offerExpired))
        }
        let gone = Set(lapsed.map(\.id))
        changes.fill(waiting.filter { !gone.contains($0.id) }, now: now)
        return changes
    }

    /// Gives the seats free in `event` (already changed, e.g. a raised capacity) to the people waiting.
    public static func capacityChanged(_ event: Event, waiting: [Row], now: Date) -> Changes {
        var changes = Changes(event: event)
        changes.fill(waiting, now: now)
        return changes
    }

    // MARK: Rules

    /// Until when a seat freed at `now` is held for the person it is offered to, or nil when it is
    /// given at once: no window, or 15 minutes before the start or later. A deadline never passes
    /// `startsAt` − 15 minutes.
    public static func offerDeadline(_ event: Event, now: Date) -> Date? {
        guard event.claimWindowMinutes > 0 else { return nil }
        let cutoff = event.startsAt.addingTimeInterval(-Self.lastOfferBeforeStart)
        guard now < cutoff else { return nil }
        return min(now.addingTimeInterval(TimeInterval(event.claimWindowMinutes) * 60), cutoff)
    }

    private static func requireOpenOffer(_ row: Row, now: Date) throws(WebinarError) {
        guard let deadline = row.offerExpiresAt, row.status == .offered || row.status == .cancelled else {
            throw .notOffered
        }
        // A lapsed offer the timer has not reached yet is as expired as one it has.
        guard row.status == .offered, now < deadline else { throw .offerExpired }
    }
}

extension RegistrationPlan.Changes {
    /// Moves `row`'s seat, offer or waiting place out of the counters.
    fileprivate mutating func release(_ row: RegistrationPlan.Row) {
        switch row.status {
        case .ticketed: self.event.ticketsIssued -= 1
        case .offered: self.event.offersOpen -= 1
        case .waitlisted: self.event.waitlistLength -= 1
        case .cancelled: break
        }
    }

    /// Gives each free seat to the next of `waiting` (the waiting list's head, in queue order): an
    /// offer until ``RegistrationPlan/offerDeadline(_:now:)``, or a ticket when there is none.
    fileprivate mutating func fill(_ waiting: [RegistrationPlan.Row], now: Date) {
        let deadline = RegistrationPlan.offerDeadline(self.event, now: now)
        for row in waiting.filter({ $0.status == .waitlisted }).sorted(by: { $0.queue < $1.queue }) {
            guard self.event.seatsLeft > 0, self.event.waitlistLength > 0 else { return }
            self.event.waitlistLength -= 1
            let update: RegistrationPlan.Update
            if let deadline {
                self.event.offersOpen += 1
                update = .init(id: row.id, status: .offered, offerExpiresAt: deadline)
            } else {
                self.event.ticketsIssued += 1
                update = .init(id: row.id, status: .ticketed, offerExpiresAt: nil)
            }
            self.updates.append(update)
            self.promoted.append(update)
            self.mails.append(.init(registrationId: row.id, kind: update.status == .offered ? .offered : .promoted))
        }
    }
}
