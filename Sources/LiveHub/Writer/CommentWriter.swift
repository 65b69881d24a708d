import Foundation
import Sockets
public import Synchronization
public import Webinar

/// The one writer that makes comments and likes durable: it takes everything submitted since its
/// last commit and stores the comments in one transaction and the likes in another (group commit),
/// then reports each in order. Nothing is acknowledged or shown before its commit.
///
/// Its queue is bounded (`maxQueue`): past it `submit`, `like` and `perform` refuse at once, so a
/// flood of requests waits in no queue and the client hears `overloaded` instead of every room
/// slowing down behind it.
public final class CommentWriter: Sendable {
    /// `repeated` when the author had already stored a comment with this nonce: answer with its `ack`,
    /// publish nothing.
    public typealias Completion = @Sendable (Result<AppendedComment, WebinarError>) -> Void
    /// `latest` is true for the last change to this comment's count in its batch: publish that one,
    /// and a burst of likes on one comment becomes one `likes` message.
    public typealias LikeCompletion = @Sendable (_ result: Result<LikeOutcome, WebinarError>, _ latest: Bool) -> Void

    enum Pending: Sendable {
        case comment(NewComment, Completion)
        case like(LikeRequest, LikeCompletion)
        /// Other changes that assign ids or counts (approve, hide, pin) run on the same thread,
        /// between commits, so everything published about a room keeps one order.
        case action(@Sendable () -> Void)
    }

    /// What a full queue answers (contract: `overloaded`).
    public static let overloaded = WebinarError(
        kind: .rateLimited, code: "overloaded", message: "The server is busy; try again in a moment.", retryAfter: 1)

    private let store: any WebinarStore
    /// The time comments are stored with.
    private let clock: LiveClock
    private let worker: BatchWorker<Pending>
    /// Most requests waiting for the writer; more are refused.
    public var maxQueue: Int { self.worker.maxQueue }
    /// Commits and comments committed, for metrics and benchmarks.
    public let batchesCommitted = Atomic<Int>(0)
    public let commentsCommitted = Atomic<Int>(0)
    /// Like batches committed (one transaction each) and requests refused because the queue was full.
    public let likeBatchesCommitted = Atomic<Int>(0)
    public let refused = Atomic<Int>(0)

    public init(store: any WebinarStore, maxBatch: Int = 1000, maxQueue: Int = 10_000, clock: LiveClock = .system) {
        self.store = store
        self.clock = clock
        self.worker = BatchWorker(name: "backchannel-comment-writer", maxQueue: maxQueue, maxBatch: maxBatch)
        self.worker.start { [self] batch in self.process(batch) }
    }

    /// Queues a comment; false (nothing queued) when the queue is full. `completion` runs on the
    /// writer thread after the commit (or on failure), in id order; it should only hand work to a loop.
    public func submit(_ comment: NewComment, completion: @escaping Completion) -> Bool {
        self.enqueue(.comment(comment, completion))
    }

    /// Queues a like, counted with the others of its batch in one transaction; false when the
    /// queue is full. `completion` runs on the writer thread after the commit.
    public func like(_ like: LikeRequest, completion: @escaping LikeCompletion) -> Bool {
        self.enqueue(.like(like, completion))
    }

    /// Runs `work` on the writer thread after everything submitted before it; false (not run)
    /// when the queue is full.
    public func perform(_ work: @escaping @Sendable () -> Void) -> Bool {
        self.enqueue(.action(work))
    }

    /// Commits what is queued, then ends the writer thread; later requests are refused.
    public func stop() {
        self.worker.stop(.drain)
    }

    private func enqueue(_ item: Pending) -> Bool {
        let accepted = self.worker.submit(item)
        if !accepted { self.refused.add(1, ordering: .relaxed) }
        return accepted
    }

    /// Comments and likes between actions commit together; actions run in their place.
    private func process(_ batch: [Pending]) {
        var comments: [(NewComment, Completion)] = []
        var likes: [(LikeRequest, LikeCompletion)] = []
        for item in batch {
            switch item {
            case .comment(let comment, let completion):
                comments.append((comment, completion))
            case .like(let like, let completion):
                likes.append((like, completion))
            case .action(let work):
                self.commit(comments)
                self.commit(likes)
                comments = []
                likes = []
                work()
            }
        }
        self.commit(comments)
        self.commit(likes)
    }

    /// The store refuses a bad reply on its own inside the transaction (``WebinarError/badReply``);
    /// the rest of the batch commits.
    private func commit(_ batch: [(comment: NewComment, completion: Completion)]) {
        guard !batch.isEmpty else { return }
        do {
            let results = try self.store.appendCommentBatch(batch.map(\.comment), now: self.clock.now())
            self.batchesCommitted.add(1, ordering: .relaxed)
            self.commentsCommitted.add(results.count { (try? $0.get())?.repeated == false }, ordering: .relaxed)
            for (pending, result) in zip(batch, results) {
                pending.completion(result)
            }
        } catch let error as WebinarError {
            for pending in batch { pending.completion(.failure(error)) }
        } catch {
            let failure = WebinarError(kind: .conflict, code: "store_failed", message: "The comment could not be saved; try again.")
            for pending in batch { pending.completion(.failure(failure)) }
        }
    }

    private func commit(_ batch: [(like: LikeRequest, completion: LikeCompletion)]) {
        guard !batch.isEmpty else { return }
        let results: [Result<LikeOutcome, WebinarError>]
        do {
            results = try self.store.likeBatch(batch.map(\.like))
            self.likeBatchesCommitted.add(1, ordering: .relaxed)
        } catch {
            let failure =
                (error as? WebinarError)
                ?? WebinarError(kind: .conflict, code: "store_failed", message: "The like could not be saved; try again.")
            results = Array(repeating: .failure(failure), count: batch.count)
        }
        // The last change per comment carries the count to publish.
        var lastChange: [LikeTarget: Int] = [:]
        for (index, (pending, result)) in zip(batch, results).enumerated() where (try? result.get())?.changed == true {
            lastChange[LikeTarget(eventId: pending.like.eventId, commentId: pending.like.commentId)] = index
        }
        for (index, (pending, result)) in zip(batch, results).enumerated() {
            let target = LikeTarget(eventId: pending.like.eventId, commentId: pending.like.commentId)
            pending.completion(result, lastChange[target] == index)
        }
    }

    private struct LikeTarget: Hashable {
        let eventId: Int64
        let commentId: Int64
    }
}
