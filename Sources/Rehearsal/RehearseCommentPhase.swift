import Foundation
import Sockets
import Synchronization

/// The live part of a rehearsal: comments at a steady rate, round-robin over the attendees (so each
/// posts at most rate / attendees per second), the host hiding and pinning a few, then the drain.
struct RehearseCommentPhase {
    /// When in the run, as a fraction of the duration, the host acts.
    static let hostActions: [(at: Double, action: String)] = [(0.3, "hide"), (0.4, "pin"), (0.5, "hide"), (0.6, "pin"), (0.7, "hide")]

    let options: RehearseRun.Options
    let ledger: RehearseLedger
    let clients: [RehearseClient]
    let rate: Double
    let progress: RehearseProgress
    private(set) var moderated: [RehearseAnalysis.Moderated] = []

    init(options: RehearseRun.Options, ledger: RehearseLedger, clients: [RehearseClient], rate: Double, progress: RehearseProgress) {
        self.options = options
        self.ledger = ledger
        self.clients = clients
        self.rate = rate
        self.progress = progress
    }

    /// Posts `ledger.planned` comments over the duration; returns when the duration is over.
    mutating func comment() async {
        let attendees = self.clients.filter { $0.role.kind == .attendee && $0.isJoined.load(ordering: .relaxed) }
        let host = self.clients.first { $0.role.kind == .host && $0.isJoined.load(ordering: .relaxed) }
        let duration = self.options.duration
        let start = ContinuousClock.now
        let end = start + duration
        var nextAction = 0
        var seq = 0
        while ContinuousClock.now < end {
            let elapsed = ContinuousClock.now - start
            self.progress.set(phase: "commenting \(Int(elapsed / .seconds(1)))/\(Int(duration / .seconds(1))) s")
            // Every comment that is due by now goes out (catching up after a late wake-up).
            while seq < self.ledger.planned, !attendees.isEmpty, start + .seconds(Double(seq) / self.rate) <= ContinuousClock.now {
                let attendee = attendees[seq % attendees.count]
                let current = seq
                attendee.loop.execute { attendee.post(seq: current) }
                seq += 1
            }
            if let host, nextAction < Self.hostActions.count, elapsed >= duration * Self.hostActions[nextAction].at {
                if self.moderate(Self.hostActions[nextAction].action, host: host) { nextAction += 1 }
            }
            let nextDue = seq < self.ledger.planned && self.rate > 0 ? start + .seconds(Double(seq) / self.rate) : end
            let wake = min(nextDue, ContinuousClock.now + .milliseconds(100), end)
            try? await Task.sleep(until: wake, clock: .continuous)
        }
    }

    /// Hides or pins the newest acked comment not moderated yet; false when there is none yet.
    private mutating func moderate(_ action: String, host: RehearseClient) -> Bool {
        let taken = Set(self.moderated.map(\.commentId))
        guard let id = self.ledger.recentAckedId(excluding: taken) else { return false }
        self.moderated.append(.init(action: action, commentId: id))
        host.loop.execute { host.moderate(action, commentId: id) }
        return true
    }

    /// Waits until every comment is acked or refused and every connected client has every
    /// delivery and notice, or the drain window ends, or nobody is connected any more.
    func drain() async {
        self.progress.set(phase: "draining")
        let deadline = ContinuousClock.now + self.options.drain
        while ContinuousClock.now < deadline {
            let joined = self.ledger.joined.load(ordering: .relaxed)
            if joined == 0 { return }
            let sent = self.ledger.sent.load(ordering: .relaxed)
            let acked = self.ledger.acked.load(ordering: .relaxed)
            let settled = acked + self.ledger.rejected.load(ordering: .relaxed) >= sent
            let visible = acked - self.ledger.held.load(ordering: .relaxed)
            let delivered = self.ledger.delivered.load(ordering: .relaxed) >= visible * joined
            let noticed = self.ledger.notices.load(ordering: .relaxed) >= self.moderated.count * joined
            if settled && delivered && noticed { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
