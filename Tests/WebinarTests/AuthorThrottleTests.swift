import Foundation
import Testing
import Webinar

@Suite("AuthorThrottle")
struct AuthorThrottleTests {
    private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// The code of the error `body` throws, or nil when it throws nothing.
    private func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch { return (error as? WebinarError)?.code }
    }

    @Test func rateLimitSlidesOverTenSeconds() throws {
        var throttle = AuthorThrottle()
        for second in 0..<5 { try throttle.admit(authorId: "a", now: self.t0 + Double(second)) }
        do {
            try throttle.admit(authorId: "a", now: self.t0 + 5)
            Issue.record("sixth comment admitted")
        } catch {
            #expect(error.code == "rate_limited" && error.kind == .rateLimited && error.retryAfter == 5)
        }
        // Another author is not affected.
        try throttle.admit(authorId: "b", now: self.t0 + 5)
        // The refused comment did not count; after the first one leaves the window, one more fits.
        try throttle.admit(authorId: "a", now: self.t0 + 10)
        #expect(self.code { try throttle.admit(authorId: "a", now: self.t0 + 10.5) } == "rate_limited")
        try throttle.admit(authorId: "a", now: self.t0 + 11)
    }

    @Test func hostsAreRateLimitedToo() throws {
        var throttle = AuthorThrottle(limit: 2, window: 10)
        try throttle.admit(authorId: "host", isHost: true, now: self.t0)
        try throttle.admit(authorId: "host", isHost: true, now: self.t0)
        #expect(self.code { try throttle.admit(authorId: "host", isHost: true, now: self.t0) } == "rate_limited")
    }

    @Test func slowModeForAttendeesNotHosts() throws {
        var throttle = AuthorThrottle(slowModeSeconds: 30)
        try throttle.admit(authorId: "a", now: self.t0)
        do {
            try throttle.admit(authorId: "a", now: self.t0 + 10.2)
            Issue.record("admitted during slow mode")
        } catch {
            #expect(error.code == "slow_mode" && error.kind == .rateLimited && error.retryAfter == 20)
            #expect(error.message.contains("20"))
        }
        try throttle.admit(authorId: "a", now: self.t0 + 30)
        try throttle.admit(authorId: "host", isHost: true, now: self.t0 + 30)
        try throttle.admit(authorId: "host", isHost: true, now: self.t0 + 31)
        // Slow mode longer than the rate window still remembers the last comment.
        var long = AuthorThrottle(slowModeSeconds: 600)
        try long.admit(authorId: "a", now: self.t0)
        #expect(self.code { try long.admit(authorId: "a", now: self.t0 + 300) } == "slow_mode")
        long.slowModeSeconds = 0
        try long.admit(authorId: "a", now: self.t0 + 300)
    }

    @Test func muteUntilATime() throws {
        var throttle = AuthorThrottle()
        throttle.mute(authorId: "a", until: self.t0 + 60)
        #expect(throttle.mutedUntil(authorId: "a", now: self.t0) == self.t0 + 60)
        do {
            try throttle.admit(authorId: "a", now: self.t0 + 1)
            Issue.record("muted author admitted")
        } catch {
            #expect(error.code == "muted" && error.kind == .forbidden && error.retryAfter == 59)
        }
        try throttle.admit(authorId: "b", now: self.t0 + 1)
        try throttle.admit(authorId: "a", now: self.t0 + 60)
        #expect(throttle.mutedUntil(authorId: "a", now: self.t0 + 60) == nil)
        throttle.mute(authorId: "b", until: self.t0 + 100)
        throttle.mute(authorId: "b", until: self.t0)  // unmute
        try throttle.admit(authorId: "b", now: self.t0 + 61)
    }

    @Test func pruneForgetsIdleAuthors() throws {
        var throttle = AuthorThrottle()
        for index in 0..<100 { try throttle.admit(authorId: "a\(index)", now: self.t0) }
        #expect(throttle.trackedAuthors == 100)
        throttle.prune(now: self.t0 + 5)
        #expect(throttle.trackedAuthors == 100)
        throttle.prune(now: self.t0 + 11)
        #expect(throttle.trackedAuthors == 0)
    }
}
