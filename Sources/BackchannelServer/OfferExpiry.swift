import Foundation
import Logging
import Synchronization
import Webinar

/// Lets lapsed offers go on a thread of its own: every ``interval`` it asks the store to expire the
/// offers whose deadline passed (``WebinarStore/expireOffers(now:)``), which passes each seat to the
/// next person waiting in the same transaction. The one place that reads the clock (the server's
/// injected one) for offers; with
/// several nodes on PostgreSQL each node runs one and the store makes each expiry happen once.
final class OfferExpiry: Sendable {
    /// How often lapsed offers are looked for; an offer may outlive its deadline by up to this long.
    static let interval: TimeInterval = 5

    private let expire: @Sendable (Date) throws -> Int
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let state = Mutex<(stopped: Bool, running: Bool)>((false, false))

    /// `expire` runs one round at the given instant and returns how many seats it passed on; `now` is
    /// the server's clock.
    init(logger: Logger, now: @escaping @Sendable () -> Date, expire: @escaping @Sendable (Date) throws -> Int) {
        self.logger = logger
        self.now = now
        self.expire = expire
    }

    func start() {
        guard
            self.state.withLock({ state -> Bool in
                defer { state.running = true }
                return !state.running
            })
        else { return }
        let thread = Thread { [self] in
            while !self.state.withLock({ $0.stopped }) {
                self.round(now: self.now())
                _ = self.wakeSignal.wait(timeout: .now() + .milliseconds(Int(Self.interval * 1000)))
            }
            self.finished.signal()
        }
        thread.name = "backchannel-offer-expiry"
        thread.start()
    }

    /// One round at `now`; a store failure is logged and the next round tries again.
    @discardableResult
    func round(now: Date) -> Int {
        do {
            return try self.expire(now)
        } catch {
            self.logger.error("expiring offers failed, retrying in \(Int(Self.interval)) s: \(error)")
            return 0
        }
    }

    func stop() {
        let wasRunning = self.state.withLock { state -> Bool in
            state.stopped = true
            return state.running
        }
        guard wasRunning else { return }
        self.wakeSignal.signal()
        _ = self.finished.wait(timeout: .now() + .seconds(5))
    }
}
