import Logging
import Synchronization

/// Which new connections get a descriptor: a cap on accepted connections over every loop, and a
/// cap per peer address (`PeerKey`) on connections that still hold their address slot. The
/// handler gives the slot back once a connection has proved itself (a live WebSocket that
/// joined), so one address cannot hold the server with half-open requests, while a room full of
/// people behind one address can still stay connected. Beyond either cap a new connection is
/// closed at once; the log says so once per interval, with counts, never once per connection.
///
/// Shared by the loops of a group: the total is an atomic, the per-address table a dictionary
/// behind a lock held for one update.
public final class ConnectionAdmission: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Accepted connections open at once, over every loop.
        public var maxConnections: Int
        /// Connections per peer address holding an address slot; 0 means no per-address cap.
        public var maxPerAddress: Int

        public init(maxConnections: Int = .max, maxPerAddress: Int = 0) {
            self.maxConnections = maxConnections
            self.maxPerAddress = maxPerAddress
        }

        /// What `serve` allows by default under a descriptor limit: all of it but a reserve for the
        /// store, listeners, epoll and the connections the server opens itself (PostgreSQL, mail).
        public static func defaultMaxConnections(descriptorLimit: Int) -> Int {
            let reserve = min(max(64, descriptorLimit / 8), 1024)
            return max(descriptorLimit - reserve, descriptorLimit / 2, 1)
        }
    }

    enum Verdict: Equatable {
        /// Admitted; `slot` is the address slot it holds, if the per-address cap applies.
        case admitted(slot: PeerKey?)
        case refused
    }

    public let limits: Limits
    private let open = Atomic<Int>(0)
    private let perAddress = Mutex<[PeerKey: Int]>([:])
    private let report = Mutex(AdmissionReport())
    private let stats: SocketStats

    init(limits: Limits, stats: SocketStats) {
        self.limits = limits
        self.stats = stats
    }

    /// Accepted connections open now.
    public var openConnections: Int { self.open.load(ordering: .relaxed) }

    /// Decides for a connection just accepted from `peer`; a refused one must be closed at once.
    func admit(_ peer: PeerKey?, now: UInt64, logger: Logger) -> Verdict {
        let total = self.open.wrappingAdd(1, ordering: .relaxed).newValue
        guard total <= self.limits.maxConnections else {
            self.open.subtract(1, ordering: .relaxed)
            self.refused(now: now, logger: logger) { $0.overTotal += 1 }
            return .refused
        }
        guard let peer, self.limits.maxPerAddress > 0 else { return .admitted(slot: nil) }
        let fits = self.perAddress.withLock { table -> Bool in
            let held = table[peer, default: 0]
            guard held < self.limits.maxPerAddress else { return false }
            table[peer] = held + 1
            return true
        }
        guard fits else {
            self.open.subtract(1, ordering: .relaxed)
            self.refused(now: now, logger: logger) {
                $0.overAddress += 1
                $0.lastAddress = peer
            }
            return .refused
        }
        return .admitted(slot: peer)
    }

    /// An accepted connection closed; `slot` is the address slot it still held.
    func closed(slot: PeerKey?) {
        self.open.subtract(1, ordering: .relaxed)
        if let slot { self.releaseSlot(slot) }
    }

    /// Gives an address slot back while the connection stays open.
    func releaseSlot(_ slot: PeerKey) {
        self.perAddress.withLock { table in
            let held = table[slot, default: 1] - 1
            table[slot] = held > 0 ? held : nil
        }
    }

    /// `accept` failed for want of descriptors or memory; accepting pauses on that loop.
    func acceptFailed(errno: Int32, now: UInt64, logger: Logger) {
        self.stats.acceptErrors.add(1, ordering: .relaxed)
        self.note(now: now, logger: logger) {
            $0.acceptFailures += 1
            $0.lastErrno = errno
        }
    }

    /// Logs what was counted since the last line, if an interval has passed (each loop's sweep asks).
    func flushReport(now: UInt64, logger: Logger) {
        self.note(now: now, logger: logger) { _ in }
    }

    private func refused(now: UInt64, logger: Logger, _ count: (inout AdmissionReport) -> Void) {
        self.stats.connectionsRefused.add(1, ordering: .relaxed)
        self.note(now: now, logger: logger, count)
    }

    private func note(now: UInt64, logger: Logger, _ count: (inout AdmissionReport) -> Void) {
        let line = self.report.withLock { report -> String? in
            count(&report)
            return report.lineIfDue(now: now, limits: self.limits)
        }
        if let line { logger.warning("\(line)") }
    }
}

/// What `ConnectionAdmission` counted since its last log line.
struct AdmissionReport {
    static let intervalMilliseconds: UInt64 = 10_000

    var lastLine: UInt64?
    var overTotal = 0
    var overAddress = 0
    var lastAddress: PeerKey?
    var acceptFailures = 0
    var lastErrno: Int32 = 0

    /// One line for everything counted, at most once per interval (the first event logs at once),
    /// then the counts start again.
    mutating func lineIfDue(now: UInt64, limits: ConnectionAdmission.Limits) -> String? {
        guard self.overTotal + self.overAddress + self.acceptFailures > 0 else { return nil }
        if let last = self.lastLine, now < last + Self.intervalMilliseconds { return nil }
        var parts: [String] = []
        if self.overTotal > 0 {
            parts.append(
                """
                refused \(self.overTotal) new connection(s): \(limits.maxConnections) were open, \
                the most http.max.connections allows
                """)
        }
        if self.overAddress > 0 {
            parts.append(
                """
                refused \(self.overAddress) new connection(s) from one address (last \(self.lastAddress?.text ?? "?")) \
                that already had \(limits.maxPerAddress) open and not yet joined (http.max.connections.per.address)
                """)
        }
        if self.acceptFailures > 0 {
            parts.append(
                """
                accept failed \(self.acceptFailures) time(s) (\(IOError(errnoCode: self.lastErrno, function: "accept"))); \
                accepting pauses briefly each time: raise the descriptor limit (ulimit -n) or lower http.max.connections
                """)
        }
        let since = self.lastLine.map { " in the last \((now - $0) / 1000) s" } ?? ""
        self = AdmissionReport(lastLine: now)
        return parts.joined(separator: "; ") + since
    }
}
