import Foundation
import Histogram
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The one progress line on stderr, rewritten in place: phase, connections, comments sent and
/// delivered, latency so far. On a terminal it updates four times a second; into a pipe or file
/// every two seconds, so logs stay short.
final class RehearseProgress: Sendable {
    private let ledger: RehearseLocked<RehearseLedger?>
    private let phase = RehearseLocked("starting")
    private let clients = RehearseLocked(0)
    private let enabled: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let wroteLine = RehearseLocked(false)

    init(enabled: Bool) {
        self.enabled = enabled
        self.ledger = RehearseLocked(nil)
    }

    func set(phase: String) { self.phase.withLock { $0 = phase } }

    func attach(_ ledger: RehearseLedger, clients: Int) {
        self.ledger.withLock { $0 = ledger }
        self.clients.withLock { $0 = clients }
    }

    /// Prints until the task is cancelled, then ends the line.
    func run() async {
        guard self.enabled else { return }
        let interval: Duration = self.isTerminal ? .milliseconds(250) : .seconds(2)
        while !Task.isCancelled {
            self.draw()
            try? await Task.sleep(for: interval)
        }
    }

    /// Draws the line a last time and moves to the next line.
    func end() {
        guard self.enabled else { return }
        if self.isTerminal { self.draw() }
        if self.wroteLine.value { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func draw() {
        var line = "rehearse [\(self.phase.value)]"
        if let ledger = self.ledger.value {
            let open = ledger.joined.load(ordering: .relaxed)
            let acked = ledger.acked.load(ordering: .relaxed)
            line += "  clients \(open)/\(self.clients.value)"
            line += "  sent \(ledger.sent.load(ordering: .relaxed)) acked \(acked)"
            line += "  delivered \(ledger.delivered.load(ordering: .relaxed))"
            let latency = ledger.latency
            if latency.totalCount > 0 {
                line += String(
                    format: "  p50 %.1f ms p99 %.1f ms", Double(latency.valueAtPercentile(50)) / 1000,
                    Double(latency.valueAtPercentile(99)) / 1000)
            }
            let errors = ledger.errors.load(ordering: .relaxed) + ledger.unexpectedCloses.load(ordering: .relaxed)
            if errors > 0 { line += "  errors \(errors)" }
        }
        let prefix = self.isTerminal ? "\r\u{1B}[K" : (self.wroteLine.value ? "\n" : "")
        FileHandle.standardError.write(Data((prefix + line).utf8))
        self.wroteLine.withLock { $0 = true }
    }
}
