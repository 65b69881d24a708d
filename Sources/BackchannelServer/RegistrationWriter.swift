import Foundation
import Sockets
import Synchronization
import Webinar

/// The one writer that makes registrations durable: it takes every registration submitted since its
/// last commit and stores them in one transaction (``WebinarStore/registerBatch(_:now:)``, group commit),
/// then completes each in submission order. Nothing is answered before its batch committed, so every
/// 201 survives `kill -9`; the WAL write, the write lock and the thread wake-ups are paid once per batch.
final class RegistrationWriter: Sendable {
    /// Runs on the writer thread after the commit (or the failure); it should only hand work to a loop.
    /// The error is a ``WebinarError`` for this request, or a storage failure of the whole batch.
    typealias Completion = @Sendable (Result<RegistrationOutcome, any Error>) -> Void

    private let store: any WebinarStore
    private let worker: BatchWorker<(RegistrationRequest, Completion)>
    private let now: @Sendable () -> Date
    /// Commits, and requests that committed a registration (or found theirs), for metrics and benchmarks.
    let batchesCommitted = Atomic<Int>(0)
    let registrationsCommitted = Atomic<Int>(0)

    /// Runs on the writer thread after each commit that stored something (its mail is queued).
    private let committed: @Sendable () -> Void

    init(
        store: any WebinarStore, maxBatch: Int = 1000, now: @escaping @Sendable () -> Date = { Date() },
        committed: @escaping @Sendable () -> Void = {}
    ) {
        self.store = store
        self.committed = committed
        self.now = now
        self.worker = BatchWorker(name: "backchannel-registration-writer", maxBatch: maxBatch)
        self.worker.start { [self] batch in self.commit(batch) }
    }

    /// Queues a registration for the next commit.
    func submit(_ request: RegistrationRequest, completion: @escaping Completion) {
        _ = self.worker.submit((request, completion))  // unbounded: refused only once stopped
    }

    /// Commits what is queued, then ends the thread.
    func stop() {
        self.worker.stop(.drain)
    }

    private func commit(_ batch: [(request: RegistrationRequest, completion: Completion)]) {
        do {
            let results = try self.store.registerBatch(batch.map(\.request), now: self.now())
            self.batchesCommitted.add(1, ordering: .relaxed)
            let stored = results.reduce(0) { count, result in if case .success = result { count + 1 } else { count } }
            self.registrationsCommitted.add(stored, ordering: .relaxed)
            if stored > 0 { self.committed() }
            for (pending, result) in zip(batch, results) {
                pending.completion(result.mapError { $0 })
            }
        } catch {
            for pending in batch { pending.completion(.failure(error)) }
        }
    }
}
