import Foundation
import LiveHub
import Testing
import Webinar

/// A room's rules over a manual clock: what an author would be told, and when it stops.
@Suite struct RoomPolicyTests {
    static func event(slowMode: Int = 0, moderation: ModerationMode = .open, blockedWords: [String] = []) -> Event {
        Event(
            id: 1, slug: "e", title: "E", startsAt: Date(timeIntervalSince1970: 0), capacity: 5, moderation: moderation,
            slowModeSeconds: slowMode, blockedWords: blockedWords, createdAt: Date(timeIntervalSince1970: 0))
    }

    /// The refusal's code, or nil when admitted.
    static func refusal(_ policy: RoomPolicy, _ authorId: String = "a", isHost: Bool = false) -> String? {
        do {
            _ = try policy.admit(authorId: authorId, isHost: isHost, text: "hello")
            return nil
        } catch {
            return error.code
        }
    }

    @Test func slowModeLetsTheNextCommentThroughOnceItsSecondsHavePassed() {
        let clock = ManualClock()
        let policy = RoomPolicy(event: Self.event(slowMode: 30), clock: clock.live)
        #expect(Self.refusal(policy) == nil)
        #expect(Self.refusal(policy) == "slow_mode")
        #expect(Self.refusal(policy, "b") == nil, "slow mode is per author")
        #expect(Self.refusal(policy, "host", isHost: true) == nil)
        #expect(Self.refusal(policy, "host", isHost: true) == nil, "hosts are not slowed")
        clock.advance(seconds: 29)
        #expect(Self.refusal(policy) == "slow_mode")
        clock.advance(seconds: 1)
        #expect(Self.refusal(policy) == nil)
    }

    @Test func slowModeTurnedOnLaterAppliesToTheNextComment() {
        let clock = ManualClock()
        let policy = RoomPolicy(event: Self.event(), clock: clock.live)
        #expect(Self.refusal(policy) == nil)
        policy.setSlowMode(seconds: 10)
        clock.advance(seconds: 5)
        #expect(Self.refusal(policy) == "slow_mode")
        policy.setSlowMode(seconds: 0)
        #expect(Self.refusal(policy) == nil)
    }

    @Test func aMuteRunsOutAfterItsSecondsAndSurvivesASettingsChange() throws {
        let clock = ManualClock()
        let policy = RoomPolicy(event: Self.event(), clock: clock.live)
        policy.mute(authorId: "a", seconds: 60)
        #expect(Self.refusal(policy) == "muted")
        #expect(Self.refusal(policy, "b") == nil)
        policy.update(from: Self.event(moderation: .review))
        clock.advance(seconds: 59)
        do {
            _ = try policy.admit(authorId: "a", isHost: false, text: "x")
            Issue.record("a muted author was admitted")
        } catch {
            #expect(error.code == "muted" && error.retryAfter == 1)
        }
        clock.advance(seconds: 1)
        #expect(try policy.admit(authorId: "a", isHost: false, text: "x") == .hold, "review mode from the update")
    }

    @Test func aRoomMadeLaterTakesTheMutesStillRunningInTheLog() throws {
        let clock = ManualClock()
        let policies = RoomPolicies(clock: clock.live)
        let log = [
            ModerationLogEntry(
                id: 1, eventId: 1, actor: .host, action: .mute, target: "a", detail: ModerationDetail.mute(seconds: 60),
                createdAt: clock.now.addingTimeInterval(-30)),
            ModerationLogEntry(
                id: 2, eventId: 1, actor: .host, action: .mute, target: "b", detail: ModerationDetail.mute(seconds: 10),
                createdAt: clock.now.addingTimeInterval(-30)),
        ]
        let policy = policies.policy(for: Self.event()) { log }
        #expect(policies.existing(eventId: 1) === policy)
        #expect(Self.refusal(policy) == "muted")
        #expect(Self.refusal(policy, "b") == nil, "that mute ran out before the room was made")
        clock.advance(seconds: 30)
        #expect(Self.refusal(policy) == nil)
    }

    @Test func theMessageBudgetRefillsWithTime() throws {
        let clock = ManualClock()
        let policy = RoomPolicy(
            event: Self.event(), limits: RoomLimits(messages: 2, messageWindowSeconds: 10), clock: clock.live)
        try policy.admitMessage(from: "a")
        try policy.admitMessage(from: "a")
        #expect(throws: WebinarError.self) { try policy.admitMessage(from: "a") }
        try policy.admitMessage(from: "b")
        clock.advance(seconds: 10)
        try policy.admitMessage(from: "a")
    }

    @Test func reviewModeAndBlockedWordsHoldAttendeesButNotHosts() throws {
        let review = RoomPolicy(event: Self.event(moderation: .review), clock: ManualClock().live)
        #expect(try review.admit(authorId: "a", isHost: false, text: "hi") == .hold)
        #expect(try review.admit(authorId: "host", isHost: true, text: "hi") == .publish)
        let words = RoomPolicy(event: Self.event(blockedWords: ["spam"]), clock: ManualClock().live)
        #expect(try words.admit(authorId: "a", isHost: false, text: "buy SPAM now") == .hold)
        #expect(try words.admit(authorId: "b", isHost: false, text: "a fine question") == .publish)
    }
}
