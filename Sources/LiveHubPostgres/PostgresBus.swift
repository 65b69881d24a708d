import Foundation
package import LiveHub
package import Logging
package import PostgresStore
import Sockets
import Synchronization
package import Webinar

/// The bus between nodes on one PostgreSQL database (LISTEN/NOTIFY on one channel).
///
/// Comments are never carried in a notification: a node is woken with "event E has ids up to N" and
/// reads what it has not delivered yet (`lastDelivered[E]`) from the store, in id order. Ids are taken
/// under the event row's lock and the counter commits with the comments, so a read that sees the
/// counter at N sees every comment up to N: no node can skip or reorder, whatever order notifications
/// arrive in. The local writer takes the same path (without the round trip).
///
/// Other room messages carry their content; before publishing one for event E a node catches up E, so
/// e.g. `hidden` never overtakes the comment it hides. Everything a node publishes for its rooms goes
/// through ONE worker thread, which is what gives each node one order.
package final class PostgresBus: LiveBus {
    static let channel = "backchannel_live"
    static let pageSize = 500

    enum Job {
        /// Deliver event's comments up to at least `upTo`; `local`: this node committed them, tell the others.
        case comments(eventId: Int64, upTo: Int64, local: Bool)
        case room(RoomMessage, eventId: Int64, local: Bool)
        /// After a reconnect (and now and then): catch up every room this node delivers.
        case catchUpAll
        /// After a reconnect that followed a loss: `catchUpAll`, plus what hosts did since `since` (their
        /// notifications went nowhere), replayed from the moderation log, and every room's settings.
        case recover(since: Date)
    }

    let node = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    let store: PostgresStore
    let hub: LiveHub
    let messages: LiveMessages
    let policies: RoomPolicies
    let logger: Logger
    /// The rooms' clock: mutes from other nodes, replays, presence.
    var clock: LiveClock { self.policies.clock }
    /// The one thread that publishes this node's room traffic, in the order it was queued.
    private let worker = BatchWorker<Job>(name: "backchannel-bus")
    /// Only the worker thread takes this lock (once per batch), so it never waits on it.
    private let workerState = Mutex(WorkerState())
    /// Per event this node delivers: every comment up to this id has been published here.
    private let lastDelivered = Mutex<[Int64: Int64]>([:])
    let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    package init(store: PostgresStore, hub: LiveHub, messages: LiveMessages, policies: RoomPolicies, logger: Logger) {
        self.store = store
        self.hub = hub
        self.messages = messages
        self.policies = policies
        self.logger = logger
        self.worker.start { [self] batch in
            self.workerState.withLock { state in
                for job in batch { self.run(job, state: &state) }
            }
        }
        let listener = Thread { [self] in
            self.listen()
            self.finished.signal()
        }
        listener.name = "backchannel-bus-listener"
        listener.start()
    }

    // MARK: LiveBus

    package func commentCommitted(_ comment: Comment) {
        self.enqueue(.comments(eventId: comment.eventId, upTo: comment.id, local: true))
    }

    package func publish(_ message: RoomMessage, eventId: Int64) {
        self.enqueue(.room(message, eventId: eventId, local: true))
    }

    /// Starts delivering the room from the store's current last id, unless it already is: whatever was
    /// committed before is in the joining member's backlog, whatever comes after is published live.
    package func roomJoined(eventId: Int64) throws {
        guard self.lastDelivered.withLock({ $0[eventId] }) == nil else { return }
        let last = try self.store.lastCommentId(eventId: eventId) ?? 0
        self.lastDelivered.withLock { delivered in
            if delivered[eventId] == nil { delivered[eventId] = last }
        }
    }

    /// Stops both threads; waits up to a second for the listening connection to close.
    package func stop() {
        self.stopped.store(true, ordering: .relaxed)
        self.worker.stop(.discard)
        _ = self.finished.wait(timeout: .now() + 1)
    }

    func enqueue(_ job: Job) {
        _ = self.worker.submit(job)  // unbounded: refused only once stopped
    }

    // MARK: The worker

    /// What only the worker thread touches.
    struct WorkerState {
        /// Per event, the highest id this node has told the others about (one wake-up per batch).
        var notified: [Int64: Int64] = [:]
        /// The highest like count published per comment: counts only grow, but two nodes' counts can
        /// arrive in either order, so a lower one than already shown is stale and dropped.
        var likes: [CommentKey: Int] = [:]
    }

    struct CommentKey: Hashable {
        let eventId: Int64
        let commentId: Int64
    }

    private func run(_ job: Job, state: inout WorkerState) {
        switch job {
        case .comments(let eventId, let upTo, let local):
            self.catchUp(eventId: eventId, upTo: upTo)
            guard local, upTo > state.notified[eventId] ?? 0 else { return }
            let through = max(upTo, self.lastDelivered.withLock { $0[eventId] } ?? 0)
            state.notified[eventId] = through
            var wakeUp = BusMessage(origin: self.node, kind: "comments", eventId: eventId)
            wakeUp.number = through
            self.send(wakeUp)
        case .room(let message, let eventId, let local):
            // `approved` goes out before the comment it makes visible, as on one node.
            if case .approved(_, let id) = message {
                self.catchUp(eventId: eventId, upTo: nil, below: id)
            } else {
                self.catchUp(eventId: eventId, upTo: nil)
            }
            if case .likes(let commentId, let likes) = message {
                let key = CommentKey(eventId: eventId, commentId: commentId)
                guard likes > state.likes[key] ?? 0 else { return }
                state.likes[key] = likes
            }
            if !local { self.apply(message, eventId: eventId) }
            if let frame = message.frame(self.messages) { self.hub.publish(frame, eventId: eventId) }
            if let change = message.memberChange { self.hub.notify(change, eventId: eventId) }
            if local { self.send(BusMessage(origin: self.node, eventId: eventId, message: message)) }
        case .catchUpAll:
            self.catchUpAll()
        case .recover(let since):
            self.catchUpAll()  // first, so an `approved` or `hidden` follows the comment it names
            self.replayHostActions(since: since)
        }
    }

    private func catchUpAll() {
        for eventId in self.lastDelivered.withLock({ Array($0.keys) }) {
            self.catchUp(eventId: eventId, upTo: nil)
        }
    }

    /// Reloads the settings of every room this node delivers and replays the host actions logged since `since`.
    private func replayHostActions(since: Date) {
        let live = Set(self.lastDelivered.withLock { Array($0.keys) })
        do {
            for event in try self.store.events() where live.contains(event.id) {
                self.policies.eventChanged(event)
                let missed = try self.store.moderationLog(eventId: event.id).filter { $0.createdAt >= since }
                guard !missed.isEmpty else { continue }
                self.policies.existing(eventId: event.id)?.restore(mutes: ModerationDetail.activeMutes(in: missed, now: self.clock.now()))
                for message in ModerationReplay.messages(from: missed, slug: event.slug) {
                    if let frame = message.frame(self.messages) { self.hub.publish(frame, eventId: event.id) }
                }
                self.logger.info("bus: replayed \(missed.count) host actions for event \(event.id) after a reconnect")
            }
        } catch {
            self.logger.warning("bus: replaying host actions after a reconnect failed: \(error)")
        }
    }

    /// Publishes the room's comments this node has not delivered yet, in id order: visible ones (even
    /// if hidden since: their `hidden` follows) to everyone, held ones to hosts. With `below`, stops
    /// before that id (it is published later).
    private func catchUp(eventId: Int64, upTo: Int64?, below: Int64? = nil) {
        guard var from = self.lastDelivered.withLock({ $0[eventId] }) else { return }
        if let upTo, from >= upTo { return }
        if let below, from >= below - 1 { return }
        do {
            while true {
                let page = try self.store.committedComments(eventId: eventId, after: from, limit: Self.pageSize)
                for comment in page.comments {
                    if let below, comment.id >= below {
                        self.lastDelivered.withLock { $0[eventId] = below - 1 }
                        return
                    }
                    self.hub.publish(self.messages.frame(for: comment), eventId: eventId)
                }
                from = page.through
                self.lastDelivered.withLock { $0[eventId] = from }
                if page.comments.count < Self.pageSize { return }
            }
        } catch {
            // The next wake-up, reconnect or periodic catch-up retries from where this stopped.
            self.logger.warning("bus: catching up event \(eventId) failed: \(error)")
        }
    }

    /// What a room message from another node changes here besides its frame.
    private func apply(_ message: RoomMessage, eventId: Int64) {
        switch message {
        case .muted(let authorId, let seconds):
            self.policies.existing(eventId: eventId)?.mute(authorId: authorId, seconds: seconds)
        case .slowMode(_, let slug), .eventChanged(let slug):
            do {
                if let event = try self.store.event(slug: slug) { self.policies.eventChanged(event) }
            } catch {
                self.logger.warning("bus: reloading event \(slug) failed: \(error)")
            }
        default:
            break
        }
    }

    func send(_ message: BusMessage) {
        do {
            try self.store.notify(channel: Self.channel, payload: message.encoded())
        } catch {
            self.logger.warning("bus: NOTIFY failed (other nodes catch up on their next wake-up): \(error)")
        }
    }
}
