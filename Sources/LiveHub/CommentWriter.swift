import Foundation
import Synchronization
import Webinar

/// The one writer that makes comments durable: it takes everything submitted since its last
/// commit and stores it in one transaction (group commit), then reports each comment in id
/// order. Nothing is acknowledged or shown before its commit.
public final class CommentWriter: Sendable {
    public typealias Completion = @Sendable (Result<Comment, WebinarError>) -> Void

    enum Pending {
        case comment(NewComment, Completion)
        /// Other changes that assign ids or counts (approve, like, hide, pin) run on the same
        /// thread, between commits, so everything published about a room keeps one order.
        case action(@Sendable () -> Void)
    }

    private let store: any WebinarStore
    private let queue = Mutex<(items: [Pending], stopped: Bool)>(([], false))
    private let wake = DispatchSemaphore(value: 0)
    private let maxBatch: Int
    /// Commits and comments committed, for metrics and benchmarks.
    public let batchesCommitted = Atomic<Int>(0)
    public let commentsCommitted = Atomic<Int>(0)

    public init(store: any WebinarStore, maxBatch: Int = 1000) {
        self.store = store
        self.maxBatch = maxBatch
        let thread = Thread { [self] in self.run() }
        thread.name = "backchannel-comment-writer"
        thread.start()
    }

    /// Queues a comment. `completion` runs on the writer thread after the commit (or on failure),
    /// in id order; it should only hand work to a loop.
    public func submit(_ comment: NewComment, completion: @escaping Completion) {
        let first = self.queue.withLock { state -> Bool in
            state.items.append(.comment(comment, completion))
            return state.items.count == 1
        }
        if first { self.wake.signal() }
    }

    /// Runs `work` on the writer thread after everything submitted before it.
    public func perform(_ work: @escaping @Sendable () -> Void) {
        let first = self.queue.withLock { state -> Bool in
            state.items.append(.action(work))
            return state.items.count == 1
        }
        if first { self.wake.signal() }
    }

    public func stop() {
        self.queue.withLock { $0.stopped = true }
        self.wake.signal()
    }

    private func run() {
        while true {
            self.wake.wait()
            while true {
                let (batch, stopped) = self.queue.withLock { state -> ([Pending], Bool) in
                    let count = min(state.items.count, self.maxBatch)
                    let batch = Array(state.items.prefix(count))
                    state.items.removeFirst(count)
                    return (batch, state.stopped)
                }
                if batch.isEmpty {
                    if stopped { return }
                    break
                }
                // Comments between actions commit together; actions run in their place.
                var comments: [(NewComment, Completion)] = []
                for item in batch {
                    switch item {
                    case .comment(let comment, let completion):
                        comments.append((comment, completion))
                    case .action(let work):
                        self.commit(comments)
                        comments = []
                        work()
                    }
                }
                self.commit(comments)
            }
        }
    }

    private func commit(_ batch: [(comment: NewComment, completion: Completion)]) {
        guard !batch.isEmpty else { return }
        // A reply must point at a visible comment of the same event; one bad reply never fails the batch.
        var valid: [(comment: NewComment, completion: Completion)] = []
        for pending in batch {
            if let replyTo = pending.comment.replyTo {
                let target = try? self.store.comment(eventId: pending.comment.eventId, id: replyTo)
                guard let target, target.isPublic else {
                    pending.completion(.failure(WebinarError(
                        kind: .invalid, code: "bad_reply", message: "You can only reply to a visible comment of this event.")))
                    continue
                }
            }
            valid.append(pending)
        }
        guard !valid.isEmpty else { return }
        do {
            let stored = try self.store.appendComments(valid.map(\.comment), now: Date())
            self.batchesCommitted.add(1, ordering: .relaxed)
            self.commentsCommitted.add(stored.count, ordering: .relaxed)
            for (pending, comment) in zip(valid, stored) {
                pending.completion(.success(comment))
            }
        } catch let error as WebinarError {
            for pending in valid { pending.completion(.failure(error)) }
        } catch {
            let failure = WebinarError(kind: .conflict, code: "store_failed", message: "The comment could not be saved; try again.")
            for pending in valid { pending.completion(.failure(failure)) }
        }
    }
}
