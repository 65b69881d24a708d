import Sockets

/// A few threads for blocking work (SQLite), so no event loop ever waits on the disk.
/// Jobs start in submission order; answers go back through `Responder`, which hops to the loop.
final class StoreExecutor: Sendable {
    private let worker: BatchWorker<@Sendable () -> Void>

    init(threads: Int) {
        // One job at a time per thread: a slow query holds one thread, not the jobs queued behind it.
        self.worker = BatchWorker(name: "backchannel-store", threads: threads, maxBatch: 1)
        self.worker.start { jobs in
            for job in jobs { job() }
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        _ = self.worker.submit(job)  // unbounded: refused only once stopped, when nothing waits for answers
    }

    /// Runs what is queued, then ends the threads.
    func stop() {
        self.worker.stop(.drain)
    }
}
