import Sockets
import Synchronization
import WebSocket

/// `/bench/broadcast`: every text message from any client goes to every connected client, the
/// protocol of the peer servers in the benchmark. Off unless `--bench` is given.
///
/// Each message is framed once into one shared chunk, and once compressed for the members that
/// agreed to permessage-deflate (RFC 7692: the server always asks for no context takeover, so one
/// compressed frame suits them all). One task per loop then queues the right chunk on the loop's
/// own members, and the loop's end-of-turn flush sends everything queued for a
/// connection in one `writev`. A global lock only orders the hand-off, so every client sees the
/// same order.
final class BenchBroadcastHub: Sendable {
    private let group: EventLoopGroup
    private let members: PerLoop<MemberList>
    private let order = Mutex<Void>(())
    private let metrics: ServerMetrics

    init(group: EventLoopGroup, metrics: ServerMetrics) {
        self.group = group
        self.metrics = metrics
        self.members = PerLoop(group: group) { _ in MemberList() }
    }

    func makeMember() -> Member { Member(hub: self) }

    fileprivate func join(_ session: WebSocketSession, member: Member) {
        self.members.withValue(on: session.connection.loop) { $0.add(session, member: member) }
    }

    fileprivate func leave(_ session: WebSocketSession, member: Member) {
        self.members.withValue(on: session.connection.loop) { $0.remove(member) }
    }

    /// Called on the sender's loop, whose compressor makes the compressed frame.
    fileprivate func broadcast(_ text: [UInt8], from sender: WebSocketSession) {
        let message = sender.prepare(.text, payload: text)
        self.order.withLock { _ in
            for loop in self.group.loops {
                loop.execute { [members, metrics] in
                    // A copy: sending may close a slow reader, which leaves the list.
                    let sent = members.value(on: loop).send(message)
                    metrics.messagesSent.increment(by: Int64(sent))
                }
            }
        }
    }

    /// One connection's membership; remembers its slot for O(1) removal.
    final class Member: WebSocketSessionDelegate {
        private let hub: BenchBroadcastHub
        fileprivate var slot = -1

        init(hub: BenchBroadcastHub) { self.hub = hub }

        func sessionDidOpen(_ session: WebSocketSession) {
            session.connection.releaseAddressSlot()  // a subscriber from the start, like a joined member
            self.hub.join(session, member: self)
        }

        func session(_ session: WebSocketSession, didReceive message: WebSocketMessage) {
            if case .text(let bytes) = message { self.hub.broadcast(bytes, from: session) }
        }

        func sessionDidClose(_ session: WebSocketSession) { self.hub.leave(session, member: self) }
    }

    /// The sessions of one loop, in a dense array.
    struct MemberList {
        private var sessions: [WebSocketSession] = []
        private var members: [Member] = []

        mutating func add(_ session: WebSocketSession, member: Member) {
            member.slot = self.sessions.count
            self.sessions.append(session)
            self.members.append(member)
        }

        mutating func remove(_ member: Member) {
            let slot = member.slot
            guard slot >= 0, slot < self.members.count, self.members[slot] === member else { return }
            let last = self.members.count - 1
            if slot != last {
                self.sessions[slot] = self.sessions[last]
                self.members[slot] = self.members[last]
                self.members[slot].slot = slot
            }
            self.sessions.removeLast()
            self.members.removeLast()
            member.slot = -1
        }

        /// Queues the message on every member, compressed or plain as each agreed; slow readers
        /// past their bound are closed by `send`.
        func send(_ message: PreparedMessage) -> Int {
            var sent = 0
            for session in self.sessions where session.send(message) { sent += 1 }
            return sent
        }
    }
}
