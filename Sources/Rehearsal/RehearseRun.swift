import Foundation
import Logging
import Sockets
import Synchronization

/// One rehearsal from start to report: register, join, comment, moderate, drain, check.
///
/// Bounded in time: registration and joining must finish within `setupTimeout`, comments are
/// posted for `duration`, and the drain waits at most `drain`, so the whole run ends by
/// setup + duration + drain (+ a few seconds to close the connections).
public struct RehearseRun: Sendable {
    public struct Options: Sendable {
        var target: RehearseTarget
        var url: String
        var slug: String
        var registrants: Int
        var attendees: Int
        var viewers: Int
        var rate: Double
        var duration: Duration
        var drain: Duration
        var setupTimeout: Duration
        var hostKey: String?
        var rateLimitComments: Int
        var rateLimitWindowSeconds: Double
        var joinTimeoutSeconds: Int
        var loops: Int
        var progress: Bool

        /// Every setting of one run; `backchannel rehearse` checks the ranges before.
        public init(
            target: RehearseTarget, url: String, slug: String, registrants: Int, attendees: Int, viewers: Int, rate: Double,
            duration: Duration, drain: Duration, setupTimeout: Duration, hostKey: String?, rateLimitComments: Int,
            rateLimitWindowSeconds: Double, joinTimeoutSeconds: Int, loops: Int, progress: Bool
        ) {
            self.target = target
            self.url = url
            self.slug = slug
            self.registrants = registrants
            self.attendees = attendees
            self.viewers = viewers
            self.rate = rate
            self.duration = duration
            self.drain = drain
            self.setupTimeout = setupTimeout
            self.hostKey = hostKey
            self.rateLimitComments = rateLimitComments
            self.rateLimitWindowSeconds = rateLimitWindowSeconds
            self.joinTimeoutSeconds = joinTimeoutSeconds
            self.loops = loops
            self.progress = progress
        }
    }

    let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run() async -> RehearseReport {
        let started = ContinuousClock.now
        let setupDeadline = started + self.options.setupTimeout
        let tag = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        var report = RehearseReport(plan: self.plan())
        let progress = RehearseProgress(enabled: self.options.progress)
        let progressTask = Task { await progress.run() }
        defer {
            progressTask.cancel()
        }

        progress.set(phase: "registering \(self.options.registrants)")
        let registration = await RehearseRegistration.run(
            target: self.options.target, slug: self.options.slug, count: self.options.registrants, tag: tag,
            deadline: setupDeadline, hostKey: self.options.hostKey)
        report.registration = registration.outcome
        guard let event = registration.outcome.before else {
            report.problems = registration.outcome.problems
            report.elapsedSeconds = (ContinuousClock.now - started) / .seconds(1)
            progress.end()
            return report
        }
        let attendees = min(self.options.attendees, registration.tickets.count)
        if !event.publicViewing && self.options.viewers > 0 {
            report.warnings.append("the event does not allow public viewing: viewers without a ticket will be refused")
        }
        let rate = self.cappedRate(attendees: attendees, slowModeSeconds: event.slowModeSeconds, report: &report)
        report.plan.attendees = attendees
        report.plan.rate = rate
        let planned = attendees == 0 ? 0 : Int(rate * (self.options.duration / .seconds(1)))
        let ledger = RehearseLedger(tag: tag, planned: planned, loops: self.options.loops)

        let group: EventLoopGroup
        do {
            EventLoopGroup.raiseFileDescriptorLimit()
            var logger = Logger(label: "backchannel.rehearse")
            logger.logLevel = .error
            group = try EventLoopGroup(threads: self.options.loops, logger: logger)
        } catch {
            report.problems.append("could not start the client event loops: \(error)")
            progress.end()
            return report
        }
        group.start()
        let clients = self.makeClients(group: group, ledger: ledger, tickets: Array(registration.tickets.prefix(attendees)))
        progress.attach(ledger, clients: clients.count)
        progress.set(phase: "joining")
        await self.join(clients, ledger: ledger, deadline: setupDeadline)

        var phases = RehearseCommentPhase(options: self.options, ledger: ledger, clients: clients, rate: rate, progress: progress)
        await phases.comment()
        await phases.drain()
        progress.set(phase: "closing")
        ledger.stopped.store(true, ordering: .relaxed)
        let records = await Self.finish(clients, group: group)
        group.shutdown(gracePeriod: .seconds(2))
        progress.end()

        RehearseAnalysis.analyze(
            &report, records: records, posts: ledger.snapshot, moderated: phases.moderated, latency: ledger.latency)
        report.elapsedSeconds = ((ContinuousClock.now - started) / .seconds(1) * 10).rounded() / 10
        return report
    }

    private func plan() -> RehearsePlan {
        RehearsePlan(
            url: self.options.url, event: self.options.slug, registrants: self.options.registrants,
            requestedAttendees: self.options.attendees, attendees: self.options.attendees, viewers: self.options.viewers,
            host: self.options.hostKey != nil,
            requestedRate: self.options.rate, rate: self.options.rate, durationSeconds: self.options.duration / .seconds(1),
            drainSeconds: self.options.drain / .seconds(1), setupTimeoutSeconds: self.options.setupTimeout / .seconds(1))
    }

    /// The rate the attendees can post without tripping the per-attendee limit or slow mode, with a
    /// 10% margin; lower than asked only with a warning.
    private func cappedRate(attendees: Int, slowModeSeconds: Int, report: inout RehearseReport) -> Double {
        guard attendees > 0 else { return 0 }
        let perAttendeeInterval = max(
            self.options.rateLimitWindowSeconds / Double(max(self.options.rateLimitComments, 1)), Double(slowModeSeconds))
        let cap = Double(attendees) / perAttendeeInterval * 0.9
        guard self.options.rate > cap else { return self.options.rate }
        let capped = (cap * 10).rounded(.down) / 10
        report.warnings.append(
            "rate lowered from \(RehearseReport.number(self.options.rate))/s to \(RehearseReport.number(capped))/s: \(attendees) attendees "
                + "may post \(self.options.rateLimitComments) per \(RehearseReport.number(self.options.rateLimitWindowSeconds)) s each"
                + (slowModeSeconds > 0 ? " with \(slowModeSeconds) s slow mode" : "") + "; add attendees for more")
        return max(capped, 0.1)
    }

    /// The host (when a key was given), the attendees, then the viewers, spread over the loops.
    private func makeClients(group: EventLoopGroup, ledger: RehearseLedger, tickets: [String]) -> [RehearseClient] {
        let settings = RehearseClient.Settings(
            target: self.options.target, slug: self.options.slug, joinTimeoutMilliseconds: self.options.joinTimeoutSeconds * 1000)
        var roles: [RehearseClient.Role] = self.options.hostKey.map { [.host(key: $0)] } ?? []
        roles += tickets.map { .attendee(ticket: $0) }
        roles += Array(repeating: .viewer, count: self.options.viewers)
        return roles.enumerated().map { index, role in
            RehearseClient(role: role, loop: group.loops[index % group.loops.count], ledger: ledger, settings: settings)
        }
    }

    /// Clients connecting but not yet joined, at most: all of them come from this machine's one
    /// address, and a server closes at once the connections of one address past
    /// `http.max.connections.per.address` (64 by default) that have not joined.
    static let maxPendingJoins = 32

    /// Connects everyone, `maxPendingJoins` at a time, and waits until all joined or gave up (or the deadline).
    private func join(_ clients: [RehearseClient], ledger: RehearseLedger, deadline: ContinuousClock.Instant) async {
        var started = 0
        var joinDeadline = deadline
        while ContinuousClock.now < joinDeadline {
            let settled = ledger.joined.load(ordering: .relaxed) + ledger.failedJoins.load(ordering: .relaxed)
            if settled >= clients.count { break }
            while started < clients.count && started - settled < Self.maxPendingJoins {
                let client = clients[started]
                client.loop.execute { client.start() }
                started += 1
                if started == clients.count {
                    joinDeadline = min(deadline, ContinuousClock.now + .seconds(self.options.joinTimeoutSeconds + 2))
                }
            }
            try? await Task.sleep(for: .milliseconds(started < clients.count ? 2 : 20))
        }
    }

    /// Copies every client's record on its own loop and starts their clean closes.
    private static func finish(_ clients: [RehearseClient], group: EventLoopGroup) async -> [RehearseClientRecord] {
        var byLoop: [[Int]] = Array(repeating: [], count: group.loops.count)
        for (index, client) in clients.enumerated() { byLoop[client.loop.index].append(index) }
        var records = [RehearseClientRecord?](repeating: nil, count: clients.count)
        for (loopIndex, indices) in byLoop.enumerated() where !indices.isEmpty {
            let batch = await withCheckedContinuation { (continuation: CheckedContinuation<[(Int, RehearseClientRecord)], Never>) in
                group.loops[loopIndex].execute {
                    continuation.resume(returning: indices.map { ($0, clients[$0].finish()) })
                }
            }
            for (index, record) in batch { records[index] = record }
        }
        // Give the close handshakes a moment before the loops stop.
        try? await Task.sleep(for: .milliseconds(200))
        return records.compactMap { $0 }
    }
}
