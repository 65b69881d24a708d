import LiveHub
import Prometheus
import Sockets
import Synchronization
import WebSocket

/// `/bench/broadcast`: every text message from any client goes to every connected client, the
/// protocol of the peer servers in the benchmark. Off unless `--bench` is given.
///
/// Each message is framed once into one shared chunk, and once compressed for the members that
/// agreed to permessage-deflate (RFC 7692: the server always asks for no context takeover, so one
/// compressed frame suits them all). One task per loop hands both to the loop's two broadcast
/// groups (plain and compressed members); the loop's end-of-turn flush sends each member the
/// turn's frames in one `send`. A global lock only orders the hand-off, so every client sees the
/// same order.
final class BenchBroadcastHub: Sendable {
    private let group: EventLoopGroup
    private let audiences: PerLoop<Audience>
    private let order = Mutex<Void>(())
    private let metrics: ServerMetrics

    /// One loop's members, by the form of frame they take.
    struct Audience {
        let plain: BroadcastGroup
        let compressed: BroadcastGroup
    }

    init(group: EventLoopGroup, metrics: ServerMetrics) {
        self.group = group
        self.metrics = metrics
        self.audiences = PerLoop(group: group) { loop in
            Audience(plain: BroadcastGroup(loop: loop), compressed: BroadcastGroup(loop: loop))
        }
    }

    func makeMember() -> Member { Member(hub: self) }

    fileprivate func join(_ session: WebSocketSession) {
        let audience = self.audiences.value(on: session.connection.loop)
        (session.takesSharedCompressedFrame ? audience.compressed : audience.plain).add(session.connection)
    }

    /// Called on the sender's loop, whose compressor makes the compressed frame.
    fileprivate func broadcast(_ text: [UInt8], from sender: WebSocketSession) {
        let message = sender.prepare(.text, payload: text)
        self.order.withLock { _ in
            for loop in self.group.loops {
                loop.execute { [audiences, metrics] in
                    let audience = audiences.value(on: loop)
                    audience.plain.send(message.plain)
                    audience.compressed.send(message.compressed ?? message.plain)
                    metrics.messagesSent.increment(by: Int64(audience.plain.count + audience.compressed.count))
                }
            }
        }
    }

    /// One connection's membership: it joins its loop's group when the WebSocket opens; the
    /// connection leaves it by itself when it sends its close frame or closes.
    final class Member: WebSocketSessionDelegate {
        private let hub: BenchBroadcastHub

        init(hub: BenchBroadcastHub) { self.hub = hub }

        func sessionDidOpen(_ session: WebSocketSession) {
            session.connection.releaseAddressSlot()  // a subscriber from the start, like a joined member
            self.hub.join(session)
        }

        func session(_ session: WebSocketSession, didReceive message: WebSocketMessage) {
            if case .text(let bytes) = message { self.hub.broadcast(bytes, from: session) }
        }

        func sessionDidClose(_ session: WebSocketSession) {}  // the closed connection has left its group already
    }
}
