import Foundation
import Testing
import Webinar

/// Worked examples of ``RegistrationPlan``: one seat, one ticket holder, two people waiting.
@Suite struct RegistrationPlanTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    let holder = RegistrationPlan.Row(id: 1, status: .ticketed, queue: 1)
    let first = RegistrationPlan.Row(id: 2, status: .waitlisted, queue: 2)
    let second = RegistrationPlan.Row(id: 3, status: .waitlisted, queue: 3)

    func event(window: Int = 1440, startsIn: TimeInterval = 3 * 86_400) -> Event {
        Event(
            id: 1, slug: "e", title: "E", startsAt: Self.now + startsIn, capacity: 1, ticketsIssued: 1, waitlistLength: 2,
            createdAt: Self.now, claimWindowMinutes: window)
    }

    @Test func aCancelledSeatIsOfferedToTheFirstPersonWaitingForTheWindow() {
        let changes = RegistrationPlan.cancel(self.holder, event: self.event(), waiting: [self.first, self.second], now: Self.now)
        #expect(
            changes.updates == [
                .init(id: 1, status: .cancelled, offerExpiresAt: nil),
                .init(id: 2, status: .offered, offerExpiresAt: Self.now + 86_400),
            ])
        #expect(changes.mails.map(\.kind) == [.cancelled, .offered])
        #expect(changes.event.ticketsIssued == 0 && changes.event.offersOpen == 1 && changes.event.waitlistLength == 1)
        #expect(changes.event.seatsLeft == 0, "the offered seat is held")
        #expect(changes.promoted.map(\.id) == [2])
    }

    @Test func withoutAWindowTheSeatIsTicketedAtOnce() {
        let changes = RegistrationPlan.cancel(self.holder, event: self.event(window: 0), waiting: [self.first], now: Self.now)
        #expect(changes.updates.last == .init(id: 2, status: .ticketed, offerExpiresAt: nil))
        #expect(changes.mails.map(\.kind) == [.cancelled, .promoted])
    }

    @Test func theWindowShrinksToFifteenMinutesBeforeTheStartThenPromotionIsInstant() {
        let soon = self.event(startsIn: 3600)
        let offer = RegistrationPlan.cancel(self.holder, event: soon, waiting: [self.first], now: Self.now)
        #expect(offer.updates.last?.offerExpiresAt == soon.startsAt - 15 * 60)
        let late = self.event(startsIn: 10 * 60)
        let ticket = RegistrationPlan.cancel(self.holder, event: late, waiting: [self.first], now: Self.now)
        #expect(ticket.updates.last == .init(id: 2, status: .ticketed, offerExpiresAt: nil))
    }

    @Test func claimingTicketsAnOpenOfferOnly() throws {
        let offered = RegistrationPlan.Row(id: 2, status: .offered, queue: 2, offerExpiresAt: Self.now + 60)
        var event = self.event()
        event.ticketsIssued = 0
        event.offersOpen = 1
        let claimed = try RegistrationPlan.claim(offered, event: event, now: Self.now)
        #expect(claimed.updates == [.init(id: 2, status: .ticketed, offerExpiresAt: nil)])
        #expect(claimed.event.ticketsIssued == 1 && claimed.event.offersOpen == 0)
        #expect(throws: WebinarError.offerExpired) { try RegistrationPlan.claim(offered, event: event, now: Self.now + 60) }
        #expect(throws: WebinarError.notOffered) { try RegistrationPlan.claim(self.first, event: event, now: Self.now) }
        var lapsed = offered
        lapsed.status = .cancelled
        #expect(throws: WebinarError.offerExpired) { try RegistrationPlan.claim(lapsed, event: event, now: Self.now + 61) }
        #expect(try RegistrationPlan.claim(self.holder, event: self.event(), now: Self.now).isEmpty, "a ticket claimed again stays")
    }

    @Test func declineAndExpiryPassTheSeatToTheNextPersonWaiting() throws {
        let offered = RegistrationPlan.Row(id: 2, status: .offered, queue: 2, offerExpiresAt: Self.now + 60)
        var event = self.event()
        event.ticketsIssued = 0
        event.offersOpen = 1
        event.waitlistLength = 1
        let declined = try RegistrationPlan.decline(offered, event: event, waiting: [self.second], now: Self.now)
        #expect(declined.updates.map(\.status) == [.cancelled, .offered])
        #expect(declined.updates.last?.id == 3)
        let early = RegistrationPlan.expire([offered], event: event, waiting: [self.second], now: Self.now + 59)
        #expect(early.isEmpty, "an offer before its deadline stays")
        let expired = RegistrationPlan.expire([offered], event: event, waiting: [self.second], now: Self.now + 60)
        let deadline = Self.now + 60 + 86_400
        #expect(
            expired.updates == [
                .init(id: 2, status: .cancelled, offerExpiresAt: Self.now + 60),
                .init(id: 3, status: .offered, offerExpiresAt: deadline),
            ])
        #expect(expired.mails.map(\.kind) == [.offerExpired, .offered], "the lapsed offer is told, the next offered")
        #expect(expired.event.offersOpen == 1 && expired.event.waitlistLength == 0)
    }
}
