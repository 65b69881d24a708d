import Dispatch
import Synchronization

/// A fixed set of connections shared by any number of threads: each call checks one out, runs, and puts
/// it back; callers wait while all are busy.
///
/// A connection found broken (the server restarted, the network dropped) is reset with `PQreset` before it
/// is handed out again, so a transient outage fails the calls made during it, not every later one. A call
/// is never retried here: it may have committed before the connection dropped.
final class PGPool: Sendable {
    private let idle: Mutex<[PGConnection]>
    private let available: DispatchSemaphore
    private let size: Int
    private let closed = Mutex(false)

    /// Every store connection's session settings. A node that stops between two statements of a
    /// transaction (frozen, stopped, cut off without a reset) would hold its event row locks and stall
    /// that event on every other node; PostgreSQL ends such a session after this long instead.
    static let sessionSettings: [(name: String, value: String)] = [("idle_in_transaction_session_timeout", "15s")]

    /// Opens `size` connections now, so a wrong URL or a down server fails at startup.
    init(url: String, size: Int, settings: [(name: String, value: String)] = PGPool.sessionSettings) throws {
        precondition(size >= 1, "a pool needs at least one connection")
        let connections = try (0..<size).map { _ in try PGConnection(url, settings: settings) }
        self.idle = Mutex(connections)
        self.available = DispatchSemaphore(value: size)
        self.size = size
    }

    /// Runs `body` with a connection that no other thread uses meanwhile.
    func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        guard !self.closed.withLock({ $0 }) else { throw PGError("the store is closed") }
        self.available.wait()
        let connection = self.idle.withLock { $0.removeLast() }
        defer {
            self.idle.withLock { $0.append(connection) }
            self.available.signal()
        }
        if connection.isBroken { try connection.reset() }
        return try body(connection)
    }

    /// Runs `body` in one transaction on a pooled connection.
    func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try self.withConnection { connection in try connection.transaction(body) }
    }

    /// Waits for every connection to come back, then closes them all.
    func close() {
        guard
            !self.closed.withLock({ (closed: inout Bool) -> Bool in
                defer { closed = true }
                return closed
            })
        else { return }
        for _ in 0..<self.size { self.available.wait() }
        self.idle.withLock { connections in
            connections.forEach { $0.close() }
        }
        for _ in 0..<self.size { self.available.signal() }
    }
}
