import Foundation
import Synchronization

/// A few threads for blocking work (SQLite), so no event loop ever waits on the disk.
/// Jobs run in submission order per thread; answers go back through `Responder`, which hops to the loop.
final class StoreExecutor: Sendable {
    private let queue = Mutex<(jobs: [@Sendable () -> Void], stopped: Bool)>(([], false))
    private let signal = DispatchSemaphore(value: 0)

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in self.work() }
            thread.name = "backchannel-store-\(index)"
            thread.start()
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        self.queue.withLock { $0.jobs.append(job) }
        self.signal.signal()
    }

    func stop(threads: Int) {
        self.queue.withLock { $0.stopped = true }
        for _ in 0..<threads { self.signal.signal() }
    }

    private func work() {
        while true {
            self.signal.wait()
            let next = self.queue.withLock { state -> (@Sendable () -> Void)?? in
                if state.jobs.isEmpty { return state.stopped ? .some(nil) : nil }
                return .some(state.jobs.removeFirst())
            }
            switch next {
            case .some(.some(let job)): job()
            case .some(.none): return
            case .none: continue
            }
        }
    }
}
