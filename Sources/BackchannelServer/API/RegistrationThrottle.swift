import Sockets
import Synchronization

/// At most `limit` requests per client address (an IPv4 address, or an IPv6 /64 as for the connection
/// caps) in each window of `windowMilliseconds`, so a script cannot take every seat, nor flood a
/// mailbox with ticket links (issue 13). Requests sent with the event's host key or the admin token do
/// not come here (``RegistrationsAPI``).
///
/// The table is bounded: at `maxAddresses`, addresses whose window has passed go first, then the whole
/// table (an attacker spread over that many addresses is held by the connection caps and the waitlist,
/// and every address is limited again from its next request). Safe from any thread (a mutex).
final class RegistrationThrottle: Sendable {
    static let maxAddresses = 10_000

    let limit: Int
    let windowMilliseconds: UInt64

    private struct Window {
        var start: UInt64
        var count: Int
    }

    private let windows = Mutex<[PeerKey: Window]>([:])

    init(limit: Int, windowSeconds: Int) {
        self.limit = limit
        self.windowMilliseconds = UInt64(windowSeconds) * 1000
    }

    /// Counts one request from `client` at `now` (monotonic milliseconds): nil when it may go on, else
    /// the whole seconds until the address's window ends. A client that is not a numeric address (a
    /// Unix socket) is not limited.
    func admit(client: String, now: UInt64) -> Int? {
        guard let key = PeerKey(numericHost: client) else { return nil }
        return self.windows.withLock { windows -> Int? in
            var window = windows[key] ?? Window(start: now, count: 0)
            if now &- window.start >= self.windowMilliseconds { window = Window(start: now, count: 0) }
            guard window.count < self.limit else {
                let left = window.start + self.windowMilliseconds - now
                return Int((left + 999) / 1000)
            }
            window.count += 1
            if windows[key] == nil, windows.count >= Self.maxAddresses {
                windows = windows.filter { now &- $0.value.start < self.windowMilliseconds }
                if windows.count >= Self.maxAddresses { windows.removeAll() }
            }
            windows[key] = window
            return nil
        }
    }

    /// Addresses tracked (for tests).
    var trackedAddresses: Int { self.windows.withLock { $0.count } }
}
