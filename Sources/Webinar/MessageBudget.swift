public import Foundation

/// How many live messages one sender may send: `limit` per `window` on average, in bursts of up
/// to `limit` (a token bucket, so it costs two numbers per sender whatever the limit).
///
/// Every message counts, whatever its type and whether it is then refused for another reason, so
/// a flood is stopped before it reaches the store. A plain value: the owner provides the lock and
/// the clock.
public struct MessageBudget: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private var tokens: Double
    private var updated: Date?

    public init(limit: Int, window: TimeInterval) {
        self.limit = max(1, limit)
        self.window = max(window, 0.001)
        self.tokens = Double(self.limit)
    }

    /// Spends one message at `now`, or throws `rate_limited` with the seconds until one is allowed.
    public mutating func spend(now: Date) throws(WebinarError) {
        self.refill(now: now)
        guard self.tokens >= 1 else {
            let seconds = max(1, Int(((1 - self.tokens) / self.rate).rounded(.up)))
            throw WebinarError(
                kind: .rateLimited, code: "rate_limited",
                message: "You are sending messages too fast; wait \(seconds) s.", retryAfter: seconds)
        }
        self.tokens -= 1
    }

    /// True once the budget has refilled completely by `now`: nothing about the sender needs keeping.
    public func isFull(now: Date) -> Bool {
        var copy = self
        copy.refill(now: now)
        return copy.tokens >= Double(self.limit)
    }

    private var rate: Double { Double(self.limit) / self.window }

    private mutating func refill(now: Date) {
        if let updated = self.updated {
            let elapsed = max(0, now.timeIntervalSince(updated))
            self.tokens = min(Double(self.limit), self.tokens + elapsed * self.rate)
        }
        self.updated = now
    }
}

/// One ``MessageBudget`` per sender key (an author id, `host`), made on first use and forgotten once
/// full again, so memory follows the senders active in the last window.
public struct MessageBudgets: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private var budgets: [String: MessageBudget] = [:]
    private var spent = 0

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    public mutating func spend(_ key: String, now: Date) throws(WebinarError) {
        self.spent += 1
        if self.spent % 1024 == 0 { self.prune(now: now) }
        var budget = self.budgets[key] ?? MessageBudget(limit: self.limit, window: self.window)
        defer { self.budgets[key] = budget }
        try budget.spend(now: now)
    }

    /// Forgets senders whose budget is full again.
    public mutating func prune(now: Date) {
        self.budgets = self.budgets.filter { !$0.value.isFull(now: now) }
    }

    /// Senders currently tracked (for tests).
    public var trackedSenders: Int { self.budgets.count }
}
