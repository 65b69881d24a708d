import Foundation
import Logging
import Synchronization

/// Logs a wrong credential (an admin token, a host key, a ticket code that matches nothing) with
/// the client's address and the kind of credential, at most once per address per minute, so someone
/// guessing is visible without flooding the log. The line says how many failures it stands for. The
/// credential itself is never logged. Wrong admin tokens and host keys also earn their address a
/// delay (``AuthPenalties``), which the caller applies to the answer.
final class AuthFailureLog: Sendable {
    enum Credential: String, Sendable, CaseIterable {
        case adminToken = "admin_token"
        case hostKey = "host_key"
        case ticketCode = "ticket_code"
    }

    private struct Entry {
        var lastLogged: UInt64
        /// Failures since the last line.
        var unlogged: Int
    }

    private let logger: Logger
    private let intervalSeconds: UInt64
    private let now: @Sendable () -> UInt64
    private let entries = Mutex<[String: Entry]>([:])
    private let penalties = Mutex(AuthPenalties())
    private let milliseconds: @Sendable () -> UInt64
    private let counted: @Sendable (Credential) -> Void
    /// Addresses remembered at most; beyond it, entries older than the interval are dropped.
    static let maxAddresses = 10_000

    /// - Parameters:
    ///   - counted: called for every failure (logged or not), for the metric.
    ///   - now: monotonic seconds; tests pass their own clock.
    ///   - milliseconds: monotonic milliseconds, for the delays.
    init(
        logger: Logger, intervalSeconds: UInt64 = 60, counted: @escaping @Sendable (Credential) -> Void = { _ in },
        now: @escaping @Sendable () -> UInt64 = { UInt64(ProcessInfo.processInfo.systemUptime) },
        milliseconds: @escaping @Sendable () -> UInt64 = { UInt64(ProcessInfo.processInfo.systemUptime * 1000) }
    ) {
        self.logger = logger
        self.intervalSeconds = intervalSeconds
        self.counted = counted
        self.now = now
        self.milliseconds = milliseconds
    }

    /// Records one failure; returns how many milliseconds to hold the answer (0 for ticket codes,
    /// whose 128 random bits make guessing hopeless anyway, and for a first wrong key).
    @discardableResult
    func record(client: String, credential: Credential) -> UInt64 {
        self.log(client: client, credential: credential)
        guard credential != .ticketCode else { return 0 }
        let now = self.milliseconds()
        return self.penalties.withLock { $0.failed(client: client, now: now) }
    }

    private func log(client: String, credential: Credential) {
        self.counted(credential)
        let now = self.now()
        let failures = self.entries.withLock { entries -> Int? in
            if var entry = entries[client], now < entry.lastLogged + self.intervalSeconds {
                entry.unlogged += 1
                entries[client] = entry
                return nil
            }
            let failures = (entries[client]?.unlogged ?? 0) + 1
            if entries.count >= Self.maxAddresses {
                entries = entries.filter { now < $0.value.lastLogged + self.intervalSeconds }
                if entries.count >= Self.maxAddresses { entries.removeAll() }
            }
            entries[client] = Entry(lastLogged: now, unlogged: 0)
            return failures
        }
        guard let failures else { return }
        self.logger.warning(
            "authentication failed",
            metadata: [
                "client": .string(client), "credential": .string(credential.rawValue), "failures": .stringConvertible(failures),
            ])
    }
}
