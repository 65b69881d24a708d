public import Foundation

/// When to try again: exponential backoff for a message the server deferred (4yz) or that a broken
/// connection interrupted, and for reaching the server at all. Pure, so the schedule is tested without
/// waiting. One base sets both: the default 30 s gives a message 30 s, 1, 2, 4 … minutes up to an
/// hour between attempts and gives up after 12 (about eight hours, then it shows as failed); an
/// unreachable server is tried again after 1, 2, 4 … seconds up to five minutes, with the messages
/// left untouched meanwhile: never a retry storm.
public struct MailRetryPolicy: Sendable, Equatable {
    public var base: TimeInterval
    public var maxAttempts: Int

    public init(base: TimeInterval = 30, maxAttempts: Int = 12) {
        self.base = base
        self.maxAttempts = maxAttempts
    }

    /// The wait after a message's `attempts`-th failed attempt (1 for the first).
    public func messageDelay(afterAttempt attempts: Int) -> TimeInterval {
        min(self.base * pow(2, Double(max(0, attempts - 1))), self.base * 120)
    }

    /// Whether a message that failed `attempts` times (this one included) is given up on.
    public func givesUp(afterAttempt attempts: Int) -> Bool { attempts >= self.maxAttempts }

    /// The wait before reaching the server again after `failures` consecutive failed sessions (1 for the first).
    public func connectionDelay(afterFailures failures: Int) -> TimeInterval {
        min(self.base / 30 * pow(2, Double(max(0, failures - 1))), self.base * 10)
    }
}
