import CLinux
public import Foundation
public import Logging
import Synchronization
public import Webinar

/// Drains the outbox on a thread of its own: takes each due message (claimed, so no other node sends
/// it too), writes it, hands it to the mail server (or the `.eml` folder) and records the outcome.
///
/// A message the server accepts is `sent`; a 5yz reply or an address that cannot be mailed makes it
/// `failed` with the reply kept for the host; a 4yz reply or a connection that broke mid-message puts it
/// back with a growing delay (``MailRetryPolicy``). When the server cannot be reached at all, nothing is
/// claimed: the sender waits (1, 2, 4 … s) and tries again, so an outage costs no attempts and sends
/// nothing twice. Registrations come first: the thread runs at the lowest priority (nice 19), and while
/// registrations pour in (see ``registrationsCommitted()``) it sends one round at a time, at most every
/// ``Configuration/busyRoundInterval``, so the desk keeps the CPU and the database; the rest follows as
/// soon as the rush is over.
public final class OutboxSender: Sendable {
    /// Where messages go.
    public enum Delivery: Sendable {
        case smtp(SMTPSession.Settings)
        /// Each message as an `.eml` file in this folder (no mail server configured).
        case directory(String)
    }

    public struct Configuration: Sendable {
        public var composer: MailComposer
        public var delivery: Delivery
        /// How long before an event's start its ticket holders are reminded; 0 sends no reminders.
        public var reminderLead: TimeInterval
        public var retry: MailRetryPolicy
        /// How often the outbox is looked at without a wake-up (other nodes' messages, due retries).
        public var pollInterval: TimeInterval
        /// While registrations pour in, the shortest time between two rounds of sending.
        public var busyRoundInterval: TimeInterval

        public init(
            composer: MailComposer, delivery: Delivery, reminderLead: TimeInterval = 3600, retry: MailRetryPolicy = .init(),
            pollInterval: TimeInterval = 2, busyRoundInterval: TimeInterval = 1
        ) {
            self.composer = composer
            self.delivery = delivery
            self.reminderLead = reminderLead
            self.retry = retry
            self.pollInterval = pollInterval
            self.busyRoundInterval = busyRoundInterval
        }
    }

    public let stats: OutboxSenderStats
    /// Messages per store round trip (see ``MailOutbox/deliverDueMail(now:limit:_:)``).
    static let batchSize = 20
    /// Registrations committed within this long make the desk busy.
    static let deskQuietNanoseconds: UInt64 = 100_000_000
    let store: any MailOutbox
    public let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date
    private let wakeSignal = DispatchSemaphore(value: 0)
    /// A signal is outstanding: further wakes add nothing (each registration commit wakes the sender).
    private let wakePending = Atomic<Bool>(false)
    /// When registrations were last committed (`DispatchTime` nanoseconds; 0: never).
    private let lastDeskCommit = Atomic<UInt64>(0)
    /// No round starts before this (`DispatchTime` nanoseconds): a wake before it would change nothing.
    private let sleepingUntil = Atomic<UInt64>(0)
    private let state = Mutex<(stopped: Bool, running: Bool)>((false, false))
    private let finished = DispatchSemaphore(value: 0)

    public init(
        store: any MailOutbox, configuration: Configuration, logger: Logger, stats: OutboxSenderStats = .init(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.stats = stats
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Starts the sender's thread.
    public func start() {
        guard
            self.state.withLock({ state -> Bool in
                defer { state.running = true }
                return !state.running
            })
        else { return }
        let thread = Thread { [self] in
            _ = clinux_set_thread_nice(19)
            self.run()
            self.finished.signal()
        }
        thread.name = "backchannel-mail-sender"
        thread.start()
    }

    /// Something was queued on this node: look now rather than at the next poll.
    public func wake() {
        guard DispatchTime.now().uptimeNanoseconds >= self.sleepingUntil.load(ordering: .relaxed) else { return }
        if !self.wakePending.exchange(true, ordering: .acquiringAndReleasing) { self.wakeSignal.signal() }
    }

    /// Registrations were committed (and their mail queued): look now, and treat the desk as busy for a
    /// moment, so a rush of registrations is not slowed by the mail it causes.
    public func registrationsCommitted() {
        self.lastDeskCommit.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        self.wake()
    }

    /// Registrations were committed within the last ``deskQuietNanoseconds``.
    var deskIsBusy: Bool {
        let last = self.lastDeskCommit.load(ordering: .relaxed)
        return last != 0 && DispatchTime.now().uptimeNanoseconds &- last < Self.deskQuietNanoseconds
    }

    /// Ends the thread after the message in hand (waiting at most `timeout`).
    public func stop(timeout: Duration = .seconds(5)) {
        let wasRunning = self.state.withLock { state -> Bool in
            state.stopped = true
            return state.running
        }
        guard wasRunning else { return }
        self.wakeSignal.signal()
        _ = self.finished.wait(timeout: .now() + .milliseconds(Int(timeout.components.seconds * 1000)))
    }

    var isStopped: Bool { self.state.withLock { $0.stopped } }

    /// The loop: reminders at most once per poll interval, a round of sending when woken or polled,
    /// and while the server is unreachable (or the desk is busy) no round before the backoff ends,
    /// whatever wakes it (each registration commit does): a busy desk must not turn into a storm.
    private func run() {
        var connectionFailures = 0
        var notBefore = Date.distantPast
        var remindersChecked = Date.distantPast
        var statsRefreshed = Date.distantPast
        while !self.isStopped {
            let now = Date()
            if self.configuration.reminderLead > 0, now.timeIntervalSince(remindersChecked) >= self.configuration.pollInterval {
                remindersChecked = now
                self.queueReminders()
            }
            if now >= notBefore {
                switch self.drain() {
                case .idle:
                    connectionFailures = 0
                case .yielded:
                    connectionFailures = 0
                    notBefore = Date().addingTimeInterval(self.configuration.busyRoundInterval)
                case .unreachable(let reason):
                    connectionFailures += 1
                    self.stats.connectionFailures.add(1, ordering: .relaxed)
                    let delay = self.configuration.retry.connectionDelay(afterFailures: connectionFailures)
                    notBefore = Date().addingTimeInterval(delay)
                    self.logger.warning("mail: cannot reach the mail server (\(reason)); trying again in \(Self.seconds(delay))")
                }
            }
            if Date().timeIntervalSince(statsRefreshed) >= 1 {
                statsRefreshed = Date()
                self.refreshStats()
            }
            let untilAllowed = notBefore.timeIntervalSinceNow
            let wait = untilAllowed > 0 ? min(untilAllowed, self.configuration.pollInterval) : self.configuration.pollInterval
            let sleepNanoseconds = untilAllowed > 0 ? UInt64(untilAllowed * 1e9) : 0
            self.sleepingUntil.store(
                sleepNanoseconds > 0 ? DispatchTime.now().uptimeNanoseconds + sleepNanoseconds : 0, ordering: .relaxed)
            _ = self.wakeSignal.wait(timeout: .now() + .milliseconds(Int(wait * 1000)))
            self.wakePending.store(false, ordering: .releasing)
        }
    }

    private func queueReminders() {
        do {
            let queued = try self.store.queueReminders(now: self.now(), lead: self.configuration.reminderLead)
            if queued > 0 { self.logger.info("mail: \(queued) reminders queued") }
        } catch {
            self.logger.warning("mail: cannot queue reminders: \(error)")
        }
    }

    /// How a round of sending ended.
    enum Round: Equatable {
        /// Nothing more is due (or the sender is stopping).
        case idle
        /// Registrations are pouring in: more is due, after ``Configuration/busyRoundInterval``.
        case yielded
        /// The mail server could not be reached; nothing was claimed.
        case unreachable(String)
    }

    /// Sends every due message; see ``Round``.
    func drain() -> Round {
        do {
            guard try self.store.hasDueMail(now: self.now()) else { return .idle }
        } catch {
            self.logger.warning("mail: cannot read the outbox: \(error)")
            return .idle
        }
        var connection = MailConnection(delivery: self.configuration.delivery)
        defer { connection.close() }
        var statsRefreshed = Date()
        var rounds = 0
        while !self.isStopped {
            if rounds > 0, self.deskIsBusy { return .yielded }
            if Date().timeIntervalSince(statsRefreshed) >= 1 {  // a long backlog still shows in /metrics
                self.refreshStats()
                statsRefreshed = Date()
            }
            if let failure = connection.open() { return .unreachable(failure) }
            let delivered: Int
            do {
                delivered = try self.store.deliverDueMail(now: self.now(), limit: Self.batchSize) { mail in
                    self.deliver(mail, over: &connection)
                }
            } catch {
                self.logger.warning("mail: cannot read the outbox: \(error)")
                return .idle
            }
            if delivered == 0 { return .idle }
            rounds += 1
        }
        return .idle
    }

    private func deliver(_ mail: OutboxMail, over connection: inout MailConnection) -> MailDelivery {
        let now = self.now()
        let outcome: MailDelivery
        do throws(SMTPError) {
            let message = try self.configuration.composer.message(for: mail, now: now)
            let reply = try connection.send(message, mail: mail)
            outcome = .sent(reply: reply, at: now)
        } catch {
            outcome = self.outcome(of: error, mail: mail, now: now)
        }
        switch outcome {
        case .sent(let reply, _):
            self.stats.sent.add(1, ordering: .relaxed)
            if case .directory = self.configuration.delivery {
                self.logger.info("mail \(mail.id) (\(mail.kind.rawValue)) \(reply)")
            } else {
                self.logger.debug("mail \(mail.id) (\(mail.kind.rawValue)) sent: \(reply)")
            }
        case .retry(let reply, _, let next):
            self.stats.deferred.add(1, ordering: .relaxed)
            self.logger.notice(
                "mail \(mail.id) (\(mail.kind.rawValue)) deferred, next attempt in \(Self.seconds(next.timeIntervalSince(now))): \(reply)")
        case .failed(let reply, _):
            self.stats.failed.add(1, ordering: .relaxed)
            self.logger.warning("mail \(mail.id) (\(mail.kind.rawValue)) failed for good: \(reply)")
        }
        return outcome
    }

    /// A refusal for good fails the message; anything else is retried later, until the policy gives up.
    func outcome(of error: SMTPError, mail: OutboxMail, now: Date) -> MailDelivery {
        let attempts = mail.attempts + 1
        guard error.isTransient else { return .failed(reply: error.description, at: now) }
        guard !self.configuration.retry.givesUp(afterAttempt: attempts) else {
            return .failed(reply: "gave up after \(attempts) attempts; last: \(error.description)", at: now)
        }
        let next = now.addingTimeInterval(self.configuration.retry.messageDelay(afterAttempt: attempts))
        return .retry(reply: error.description, at: now, next: next)
    }

    private func refreshStats() {
        guard let stats = try? self.store.mailStats() else { return }
        self.stats.queued.store(stats.pending, ordering: .relaxed)
        let age = stats.oldestPending.map { max(0, Int(self.now().timeIntervalSince($0))) } ?? 0
        self.stats.oldestPendingSeconds.store(age, ordering: .relaxed)
    }

    static func seconds(_ interval: TimeInterval) -> String {
        interval < 10 ? String(format: "%.1f s", interval) : "\(Int(interval.rounded())) s"
    }
}
