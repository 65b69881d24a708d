import Foundation
import Testing
import Webinar

@Suite("Event")
struct EventTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func event(capacity: Int = 10, tickets: Int = 0, waiting: Int = 0, endsAt: Date? = nil) -> Event {
        Event(
            id: 1, slug: "e", title: "E", startsAt: self.start, endsAt: endsAt, capacity: capacity,
            ticketsIssued: tickets, waitlistLength: waiting, createdAt: self.start)
    }

    @Test func states() {
        let event = self.event(endsAt: self.start + 3600)
        #expect(event.state(at: self.start - 1) == .scheduled)
        #expect(event.state(at: self.start) == .live)
        #expect(event.state(at: self.start + 3599) == .live)
        #expect(event.state(at: self.start + 3600) == .ended)
        #expect(self.event().state(at: self.start + 1_000_000) == .live)
        #expect(EventState.allCases.map(\.rawValue) == ["scheduled", "live", "ended"])
    }

    @Test func seats() {
        #expect(self.event(capacity: 10, tickets: 4).seatsLeft == 6)
        var open = self.event(capacity: 10, tickets: 4)
        #expect(RegistrationPlan.register(&open) == .ticketed && open.ticketsIssued == 5)
        #expect(self.event(capacity: 4, tickets: 4).seatsLeft == 0)
        var full = self.event(capacity: 4, tickets: 4)
        #expect(RegistrationPlan.register(&full) == .waitlisted && full.waitlistLength == 1)
        #expect(self.event(capacity: 10, tickets: 4, waiting: 2).promotable == 2)
        #expect(self.event(capacity: 5, tickets: 4, waiting: 2).promotable == 1)
    }

    @Test func rawValues() {
        #expect(RegistrationStatus.allCases.map(\.rawValue) == ["ticketed", "offered", "waitlisted", "cancelled"])
        #expect(ModerationMode.allCases.map(\.rawValue) == ["open", "review"])
        #expect(CommentStatus.allCases.map(\.rawValue) == ["visible", "held"])
        #expect(ModerationAction.blockedWords.rawValue == "blocked_words")
        #expect(Moderator.allCases.map(\.rawValue) == ["host", "admin"])
    }
}
