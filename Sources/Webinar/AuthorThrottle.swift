public import Foundation

/// The per-author limits of one room: mute, slow mode and a sliding-window rate limit.
///
/// A plain value owned by one room (one thread at a time), so it takes no lock and is not meant to be
/// shared. The clock is injected: every check takes `now`.
///
/// Order of checks: muted (`muted`, 403) → slow mode (`slow_mode`, 429, attendees only) → rate limit
/// (`rate_limited`, 429, everyone). A refused comment does not count against the author.
public struct AuthorThrottle: Sendable {
    /// Comments allowed per `window` and author.
    public var limit: Int
    /// The sliding window of the rate limit.
    public var window: TimeInterval
    /// Seconds an attendee must wait between comments; 0 turns slow mode off. Hosts are exempt.
    public var slowModeSeconds: Int

    private var recent: [String: [Date]] = [:]
    private var mutedUntil: [String: Date] = [:]
    private var admitted = 0

    public init(limit: Int = 5, window: TimeInterval = 10, slowModeSeconds: Int = 0) {
        self.limit = limit
        self.window = window
        self.slowModeSeconds = slowModeSeconds
    }

    /// Records a comment by `authorId` at `now`, or throws why it must wait.
    public mutating func admit(authorId: String, isHost: Bool = false, now: Date) throws(WebinarError) {
        if let until = self.mutedUntil[authorId] {
            if now < until {
                let seconds = Self.wholeSeconds(until.timeIntervalSince(now))
                throw WebinarError(
                    kind: .forbidden, code: "muted",
                    message: "A host muted you; you can comment again in \(seconds) s.", retryAfter: seconds)
            }
            self.mutedUntil[authorId] = nil
        }
        var times = (self.recent[authorId] ?? []).filter { now.timeIntervalSince($0) < self.window }
        if !isHost, self.slowModeSeconds > 0, let last = self.recent[authorId]?.last {
            let wait = Double(self.slowModeSeconds) - now.timeIntervalSince(last)
            if wait > 0 {
                let seconds = Self.wholeSeconds(wait)
                throw WebinarError(
                    kind: .rateLimited, code: "slow_mode",
                    message: "Slow mode is on: wait \(seconds) s before your next comment.", retryAfter: seconds)
            }
        }
        if times.count >= self.limit, let oldest = times.first {
            let seconds = Self.wholeSeconds(self.window - now.timeIntervalSince(oldest))
            throw WebinarError(
                kind: .rateLimited, code: "rate_limited",
                message: "You are commenting too fast; wait \(seconds) s.", retryAfter: seconds)
        }
        times.append(now)
        self.recent[authorId] = times
        self.admitted += 1
        if self.admitted % 1024 == 0 { self.prune(now: now) }
    }

    /// Mutes `authorId` until `until`; a time in the past unmutes.
    public mutating func mute(authorId: String, until: Date) {
        self.mutedUntil[authorId] = until
    }

    /// When `authorId`'s mute ends, if muted at `now`.
    public func mutedUntil(authorId: String, now: Date) -> Date? {
        guard let until = self.mutedUntil[authorId], now < until else { return nil }
        return until
    }

    /// Forgets authors whose history can no longer refuse anything, so memory tracks active authors only.
    public mutating func prune(now: Date) {
        let horizon = max(self.window, Double(self.slowModeSeconds))
        self.recent = self.recent.filter { _, times in
            guard let last = times.last else { return false }
            return now.timeIntervalSince(last) < horizon
        }
        self.mutedUntil = self.mutedUntil.filter { now < $0.value }
    }

    /// Authors currently tracked (for tests and metrics).
    public var trackedAuthors: Int { self.recent.count }

    private static func wholeSeconds(_ interval: TimeInterval) -> Int { max(1, Int(interval.rounded(.up))) }
}
