import Foundation
import Histogram
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds, for send and delivery times.
func rehearseNow() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// What every client shares during a rehearsal: when each planned comment was sent, its ack, the
/// running counters for the progress line, and latency histograms (one per client loop, so
/// recording never contends across loops).
final class RehearseLedger: Sendable {
    /// One planned comment, by sequence number.
    struct Post: Sendable {
        var sentAt: UInt64 = 0
        var id: Int64?
        var held = false
        var ackedAt: UInt64 = 0
        /// The error code the server answered instead of an ack.
        var rejected: String?
    }

    /// Unique per run: comment texts and nonces carry it, so deliveries are matched to posts.
    let tag: String
    let planned: Int
    private let posts: Mutex<[Post]>
    private let latencies: [RehearseLocked<Histogram<UInt64>>]

    let connectionsOpen = Atomic<Int>(0)
    /// Clients joined and still connected.
    let joined = Atomic<Int>(0)
    /// Clients that gave up before joining (refused, timed out).
    let failedJoins = Atomic<Int>(0)
    let sent = Atomic<Int>(0)
    let acked = Atomic<Int>(0)
    let rejected = Atomic<Int>(0)
    /// Acked but held for review.
    let held = Atomic<Int>(0)
    /// Deliveries of this run's comments, summed over clients.
    let delivered = Atomic<Int>(0)
    /// Moderation notices (`hidden`, `pinned`) received, summed over clients.
    let notices = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
    let unexpectedCloses = Atomic<Int>(0)
    /// Set once the clients' records are taken: later deliveries no longer count.
    let stopped = Atomic<Bool>(false)

    init(tag: String, planned: Int, loops: Int) {
        self.tag = tag
        self.planned = planned
        self.posts = Mutex(Array(repeating: Post(), count: planned))
        self.latencies = (0..<max(loops, 1)).map { _ in RehearseLocked(Self.emptyHistogram()) }
    }

    /// Microseconds from 1 µs to 10 minutes, three significant digits.
    static func emptyHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }

    // MARK: Posting

    /// The text of comment `seq`: recognizable, and carrying its number for latency.
    func text(seq: Int) -> String { "rehearsal \(self.tag) #\(seq)" }

    func nonce(seq: Int) -> String { "\(self.tag)-\(seq)" }

    /// The sequence number in a comment text of this run, or nil for anyone else's comment.
    func seq(inText text: String) -> Int? {
        let prefix = "rehearsal \(self.tag) #"
        guard text.hasPrefix(prefix), let seq = Int(text.dropFirst(prefix.count)), seq >= 0, seq < self.planned else { return nil }
        return seq
    }

    func seq(inNonce nonce: String) -> Int? {
        let prefix = "\(self.tag)-"
        guard nonce.hasPrefix(prefix), let seq = Int(nonce.dropFirst(prefix.count)), seq >= 0, seq < self.planned else { return nil }
        return seq
    }

    func markSent(seq: Int) {
        let now = rehearseNow()
        self.posts.withLock { $0[seq].sentAt = now }
        self.sent.add(1, ordering: .relaxed)
    }

    func markAcked(seq: Int, id: Int64, held: Bool) {
        let now = rehearseNow()
        let first = self.posts.withLock { posts -> Bool in
            guard posts[seq].id == nil else { return false }
            posts[seq].id = id
            posts[seq].held = held
            posts[seq].ackedAt = now
            return true
        }
        if first { self.acked.add(1, ordering: .relaxed) }
        if first && held { self.held.add(1, ordering: .relaxed) }
    }

    func markRejected(seq: Int, code: String) {
        let first = self.posts.withLock { posts -> Bool in
            guard posts[seq].rejected == nil, posts[seq].id == nil else { return false }
            posts[seq].rejected = code
            return true
        }
        if first { self.rejected.add(1, ordering: .relaxed) }
    }

    /// A recently acked, visible comment id not in `excluding`, for the host to moderate.
    func recentAckedId(excluding: Set<Int64>) -> Int64? {
        self.posts.withLock { posts in
            posts.lazy.filter { !$0.held }.compactMap(\.id).filter { !excluding.contains($0) }.max()
        }
    }

    var snapshot: [Post] { self.posts.withLock { $0 } }

    // MARK: Delivery

    /// A client on loop `loopIndex` received comment `seq` now.
    func delivered(seq: Int, loopIndex: Int) {
        guard !self.stopped.load(ordering: .relaxed) else { return }
        let now = rehearseNow()
        let sentAt = self.posts.withLock { $0[seq].sentAt }
        self.delivered.add(1, ordering: .relaxed)
        guard sentAt > 0, now >= sentAt else { return }
        let micros = max(1, (now - sentAt) / 1000)
        self.latencies[loopIndex % self.latencies.count].withLock { _ = $0.record(min(micros, 600_000_000)) }
    }

    /// Every loop's latencies merged.
    var latency: Histogram<UInt64> {
        var merged = Self.emptyHistogram()
        for histogram in self.latencies {
            merged.add(histogram.value)
        }
        return merged
    }
}
