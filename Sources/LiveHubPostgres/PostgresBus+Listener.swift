import Foundation
import LiveHub
import Logging
import PostgresStore
import Synchronization

/// The listening side of ``PostgresBus``: one dedicated connection on its own thread; on loss it
/// reconnects with backoff, listens again and catches up every room. It also shares presence: this
/// node's counts go out when they change (at most once a second) and every 5 s as a heartbeat; a
/// node not heard from for 10 s counts as gone.
extension PostgresBus {
    struct RemotePresence {
        var nodes: [String: (viewers: [Int64: Int], heard: Date)] = [:]
        var lastSent: [Int64: Int] = [:]
        var lastSentAt = Date.distantPast
        var lastTick = Date.distantPast
        var lastSweep: Date
        /// The last time a notification arrived (this node's own heartbeats included): the listener
        /// was known to work then, so a replay after a loss starts a little before it.
        var lastHeard: Date

        init(now: Date) {
            self.lastSweep = now
            self.lastHeard = now
        }
    }

    /// How far before the last sign of life a replay reaches (NOTIFYs in flight, clocks of other nodes),
    /// and at most how far back (a node with no rooms sends no heartbeats).
    static let replayMarginSeconds: TimeInterval = 5
    static let replayLimitSeconds: TimeInterval = 300

    static let heartbeatSeconds: TimeInterval = 5
    static let nodeTimeoutSeconds: TimeInterval = 10

    func listen() {
        var presence = RemotePresence(now: self.clock.now())
        var backoff: TimeInterval = 0.1
        var lostAt: Date?
        while !self.stopped.load(ordering: .relaxed) {
            let listener: PGListener
            do {
                listener = try PGListener(url: self.store.url, channel: Self.channel)
            } catch {
                self.logger.warning("bus: cannot listen (retrying in \(backoff) s): \(error)")
                lostAt = lostAt ?? self.clock.now()
                self.pause(backoff)
                backoff = min(backoff * 2, 5)
                continue
            }
            backoff = 0.1
            // Whatever was committed while not listening and, after a loss, what hosts did meanwhile.
            if let lost = lostAt {
                let since = max(min(presence.lastHeard, lost), lost.addingTimeInterval(-Self.replayLimitSeconds))
                self.enqueue(.recover(since: since.addingTimeInterval(-Self.replayMarginSeconds)))
                lostAt = nil
            } else {
                self.enqueue(.catchUpAll)
            }
            while !self.stopped.load(ordering: .relaxed) {
                do {
                    for notification in try listener.wait(milliseconds: 250) {
                        self.received(notification.payload, presence: &presence)
                    }
                } catch {
                    self.logger.warning("bus: listening connection lost, reconnecting: \(error)")
                    lostAt = self.clock.now()
                    break
                }
                self.tick(&presence)
            }
            listener.close()
        }
    }

    private func pause(_ seconds: TimeInterval) {
        let until = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !self.stopped.load(ordering: .relaxed), ContinuousClock.now < until { Thread.sleep(forTimeInterval: 0.05) }
    }

    private func received(_ payload: String, presence: inout RemotePresence) {
        presence.lastHeard = self.clock.now()
        guard let message = BusMessage.decode(payload), message.origin != self.node else { return }
        switch message.kind {
        case "comments":
            guard let upTo = message.number else { return }
            self.enqueue(.comments(eventId: message.eventId, upTo: upTo, local: false))
        case "presence":
            var viewers: [Int64: Int] = [:]
            for (key, count) in message.viewers ?? [:] { if let eventId = Int64(key) { viewers[eventId] = count } }
            presence.nodes[message.origin] = (viewers, self.clock.now())
            self.hub.setRemoteViewers(Self.sum(presence.nodes))
        default:
            guard let room = message.roomMessage else { return }
            self.enqueue(.room(room, eventId: message.eventId, local: false))
        }
    }

    /// Once a second: send this node's counts if they changed (or as a heartbeat), forget silent nodes;
    /// every heartbeat also catches up every room, in case a notification was lost.
    private func tick(_ presence: inout RemotePresence) {
        let now = self.clock.now()
        guard now.timeIntervalSince(presence.lastTick) >= 1 else { return }
        presence.lastTick = now
        let local = self.hub.localViewers()
        let heartbeat = now.timeIntervalSince(presence.lastSentAt) >= Self.heartbeatSeconds
        if local != presence.lastSent || (heartbeat && !local.isEmpty) {
            var message = BusMessage(origin: self.node, kind: "presence")
            // A payload stays under 8000 bytes: the largest rooms first, the rest left out.
            let rooms = local.sorted { $0.value > $1.value }.prefix(300)
            message.viewers = Dictionary(uniqueKeysWithValues: rooms.map { (String($0.key), $0.value) })
            self.send(message)
            presence.lastSent = local
            presence.lastSentAt = now
        }
        let before = presence.nodes.count
        presence.nodes = presence.nodes.filter { now.timeIntervalSince($0.value.heard) < Self.nodeTimeoutSeconds }
        if presence.nodes.count != before { self.hub.setRemoteViewers(Self.sum(presence.nodes)) }
        if now.timeIntervalSince(presence.lastSweep) >= Self.heartbeatSeconds {
            presence.lastSweep = now
            self.enqueue(.catchUpAll)
        }
    }

    static func sum(_ nodes: [String: (viewers: [Int64: Int], heard: Date)]) -> [Int64: Int] {
        var total: [Int64: Int] = [:]
        for (_, node) in nodes {
            for (eventId, count) in node.viewers { total[eventId, default: 0] += count }
        }
        return total
    }
}
