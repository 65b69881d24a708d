public import Synchronization

/// Counters shared by every loop of a group, read by the metrics endpoint.
public final class SocketStats: Sendable {
    public let connectionsAccepted = Atomic<Int>(0)
    public let connectionsOpen = Atomic<Int>(0)
    public let bytesRead = Atomic<Int>(0)
    public let bytesWritten = Atomic<Int>(0)
    public let acceptErrors = Atomic<Int>(0)
    /// New connections closed at once because a connection cap was reached (`ConnectionAdmission`).
    public let connectionsRefused = Atomic<Int>(0)
    public let tlsHandshakesCompleted = Atomic<Int>(0)
    /// Handshakes refused (not TLS, old versions, no shared cipher) or timed out.
    public let tlsHandshakesFailed = Atomic<Int>(0)

    public init() {}
}
