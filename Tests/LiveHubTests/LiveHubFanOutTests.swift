import Foundation
import LiveHub
import Logging
import Sockets
import Synchronization
import Testing

/// Rooms over real event loops (no sockets: members record what reaches them). What every client
/// relies on: one order for everyone, host-only frames for hosts only, nothing after leaving.
@Suite struct LiveHubFanOutTests {
    /// A member that is never promoted to a broadcast group, so every frame comes through `deliver`.
    final class Member: LiveMember, Sendable {
        let isHost: Bool
        let seen = Mutex<[Int64]>([])
        init(isHost: Bool) { self.isHost = isHost }

        func deliver(_ frame: LiveFrame) {
            // Presence frames (the hub's own, once a second) carry neither id: not what is tested here.
            guard let id = frame.commentId ?? frame.heldId.map({ -$0 }) else { return }
            self.seen.withLock { $0.append(id) }
        }

        var fanOutConnection: (connection: Connection, compressed: Bool)? { nil }
    }

    static func frame(_ id: Int64) -> LiveFrame {
        LiveFrame(frame: ByteChunk(Array("c\(id)".utf8)), commentId: id)
    }

    static func hostFrame(_ id: Int64) -> LiveFrame {
        LiveFrame(frame: ByteChunk(Array("h\(id)".utf8)), heldId: id, audience: .hosts)
    }

    /// Runs `body` on `loop` and waits for it.
    static func onLoop<R: Sendable>(_ loop: EventLoop, _ body: @escaping @Sendable () -> R) -> R {
        let result = Mutex<R?>(nil)
        let done = DispatchSemaphore(value: 0)
        loop.execute {
            result.withLock { $0 = body() }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    @Test func everyMemberOnEveryLoopSeesTheSameOrderAndHostFramesReachOnlyHosts() throws {
        let group = try EventLoopGroup(threads: 2, logger: Logger(label: "test"))
        group.start()
        defer { group.shutdown(gracePeriod: .milliseconds(100)) }
        let hub = LiveHub(group: group, presenceFrame: { _ in LiveFrame(frame: ByteChunk([])) })
        defer { hub.stop() }
        let eventId: Int64 = 7
        var members: [(Member, EventLoop)] = []
        for loop in group.loops {
            for index in 0..<3 { members.append((Member(isHost: index == 0), loop)) }
        }
        var counts: [Int] = []
        for (member, loop) in members {
            counts.append(Self.onLoop(loop) { hub.join(member, eventId: eventId, loop: loop) })
        }
        #expect(counts == Array(1...6))
        #expect(hub.localViewers() == [eventId: 6])

        // Two publishers at once: whatever order they interleave in, everyone sees the same one.
        let publishers = DispatchGroup()
        for base in [Int64(1_000), 2_000] {
            DispatchQueue.global().async(group: publishers) {
                for offset in Int64(0)..<100 {
                    hub.publish(offset % 10 == 0 ? Self.hostFrame(base + offset) : Self.frame(base + offset), eventId: eventId)
                }
            }
        }
        publishers.wait()
        hub.publish(Self.frame(99), eventId: 8)  // another room: nobody here gets it
        for loop in group.loops { _ = Self.onLoop(loop) { true } }  // every task queued before has run

        let sequences = members.map { member, _ in member.seen.withLock { $0 } }
        let everyone = sequences.map { $0.filter { $0 > 0 } }
        #expect(everyone.allSatisfy { $0 == everyone[0] })
        #expect(Set(everyone[0]).count == 180 && !everyone[0].contains(99))
        for ((member, _), sequence) in zip(members, sequences) {
            #expect(sequence.contains { $0 < 0 } == member.isHost)
            if member.isHost { #expect(sequence.count == 200) }
        }
        #expect(sequences.filter { $0.count == 200 } == [sequences[0], sequences[0]], "both hosts, in one order")

        // One member leaves: it gets nothing more, and the room counts one fewer.
        let (leaving, loop) = members[1]
        Self.onLoop(loop) { hub.leave(leaving, eventId: eventId, loop: loop) }
        hub.publish(Self.frame(5_000), eventId: eventId)
        for loop in group.loops { _ = Self.onLoop(loop) { true } }
        #expect(leaving.seen.withLock { $0.last } != 5_000)
        #expect(members[2].0.seen.withLock { $0.last } == 5_000)
        #expect(hub.localViewers() == [eventId: 5])
    }
}
