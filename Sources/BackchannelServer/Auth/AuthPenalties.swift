import Sockets

/// How long to hold the answer to a failed admin or host authentication, per client address (an
/// IPv4 address, or an IPv6 /64 as for the connection caps), so guessing a token or a key from one
/// address gets slower with every wrong guess while nobody else waits.
///
/// The first failure is free (a typo); from the second on the answer waits 0.5 s, 1 s, 2 s … up to
/// 10 s each, and an address's held answers go out one after another, so parallel connections do
/// not guess faster. An address quiet for 10 minutes starts over. The table is bounded: at
/// `maxAddresses`, the quiet addresses go first, then everything (an attacker spread over that many
/// addresses is slowed by the connection caps instead). A plain value: the owner holds the lock and
/// passes the loop-independent monotonic time in milliseconds.
struct AuthPenalties {
    static let baseMilliseconds: UInt64 = 500
    static let maxMilliseconds: UInt64 = 10_000
    /// At most this long in the queue of one address, whatever it sent.
    static let maxWaitMilliseconds: UInt64 = 60_000
    static let forgetAfterMilliseconds: UInt64 = 10 * 60_000
    static let maxAddresses = 10_000

    private struct Entry {
        var failures: UInt64
        var lastFailure: UInt64
        /// When the last answer held for this address goes out.
        var answerAt: UInt64
    }

    private var entries: [PeerKey: Entry] = [:]

    /// Counts a failure from `client` at `now`; returns how many milliseconds to hold its answer.
    mutating func failed(client: String, now: UInt64) -> UInt64 {
        guard let key = PeerKey(numericHost: client) else { return 0 }
        var entry = self.entries[key] ?? Entry(failures: 0, lastFailure: now, answerAt: now)
        if now - min(now, entry.lastFailure) > Self.forgetAfterMilliseconds { entry = Entry(failures: 0, lastFailure: now, answerAt: now) }
        entry.failures += 1
        entry.lastFailure = now
        let delay = entry.failures < 2 ? 0 : min(Self.baseMilliseconds << min(entry.failures - 2, 16), Self.maxMilliseconds)
        entry.answerAt = min(max(now, entry.answerAt) + delay, now + Self.maxWaitMilliseconds)
        if self.entries[key] == nil, self.entries.count >= Self.maxAddresses { self.prune(now: now) }
        self.entries[key] = entry
        return entry.answerAt - now
    }

    /// Addresses tracked (for tests).
    var trackedAddresses: Int { self.entries.count }

    private mutating func prune(now: UInt64) {
        self.entries = self.entries.filter { now - min(now, $0.value.lastFailure) <= Self.forgetAfterMilliseconds }
        if self.entries.count >= Self.maxAddresses { self.entries.removeAll() }
    }
}
