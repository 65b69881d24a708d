public import Synchronization

/// What one node's sender did since it started, and the outbox as it last looked: read by `/metrics`.
public final class OutboxSenderStats: Sendable {
    /// Messages the mail server accepted (or that were written as `.eml` files).
    public let sent = Atomic<Int>(0)
    /// Messages refused for good.
    public let failed = Atomic<Int>(0)
    /// Attempts that will be retried (4yz, a broken connection).
    public let deferred = Atomic<Int>(0)
    /// Sessions that could not be opened (server down, TLS or AUTH refused).
    public let connectionFailures = Atomic<Int>(0)
    /// Pending messages in the whole outbox (every node's), as of the last look.
    public let queued = Atomic<Int>(0)
    /// Seconds since the oldest pending message was queued, 0 when none is pending.
    public let oldestPendingSeconds = Atomic<Int>(0)

    public init() {}
}
