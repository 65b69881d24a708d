import Foundation
import Sockets
import Synchronization

/// Rooms of live connections, one per event, spread over the event loops.
///
/// A message is encoded once (`LiveFrame`) and handed to each loop in one task; the loop then
/// queues the same bytes on each of its members, and its end-of-turn flush writes them. A lock
/// around the hand-off gives every loop the same order, so every client sees the same sequence.
/// Presence (viewer counts) goes out at most once a second per room, only when it changed; with
/// several nodes the count announced is this node's plus what the others reported (`setRemoteViewers`).
public final class LiveHub: Sendable {
    private let group: EventLoopGroup
    private let members: PerLoop<[Int64: RoomMembers]>
    private let publishOrder = Mutex<Void>(())
    private let counts = Mutex<[Int64: Presence]>([:])
    private let presenceFrame: @Sendable (Int) -> LiveFrame
    private let stopped = Atomic<Bool>(false)
    /// Frames published, for metrics.
    public let framesPublished = Atomic<Int>(0)
    /// Told, on each loop holding members of the room, how long a frame took from `publish` to handed to them.
    private let fanOut: (@Sendable (Duration) -> Void)?

    struct Presence {
        /// Members on this node.
        var viewers = 0
        /// Members on other nodes, as last reported.
        var remote = 0
        var announced = 0
        var total: Int { self.viewers + self.remote }
    }

    /// - Parameters:
    ///   - presenceFrame: encodes `{"type":"presence","viewers":n}` (the hub knows no JSON).
    ///   - fanOut: fan-out latency, for metrics.
    public init(
        group: EventLoopGroup, presenceFrame: @escaping @Sendable (Int) -> LiveFrame,
        fanOut: (@Sendable (Duration) -> Void)? = nil
    ) {
        self.group = group
        self.fanOut = fanOut
        self.presenceFrame = presenceFrame
        self.members = PerLoop(group: group) { _ in [:] }
        let thread = Thread { [self] in self.announcePresence() }
        thread.name = "backchannel-presence"
        thread.start()
    }

    public func stop() { self.stopped.store(true, ordering: .relaxed) }

    /// Adds a member on its own loop; returns the room's viewer count including it.
    @discardableResult
    public func join(_ member: any LiveMember, eventId: Int64, loop: EventLoop) -> Int {
        self.members.withValue(on: loop) { rooms in
            rooms[eventId, default: RoomMembers()].add(member)
        }
        return self.counts.withLock { counts in
            counts[eventId, default: Presence()].viewers += 1
            return counts[eventId]!.total
        }
    }

    public func leave(_ member: any LiveMember, eventId: Int64, loop: EventLoop) {
        let removed = self.members.withValue(on: loop) { rooms -> Bool in
            guard var room = rooms[eventId], room.remove(member) else { return false }
            rooms[eventId] = room.isEmpty ? nil : room
            return true
        }
        guard removed else { return }
        self.counts.withLock { counts in
            counts[eventId]?.viewers -= 1
        }
    }

    public func viewers(eventId: Int64) -> Int {
        self.counts.withLock { $0[eventId]?.total ?? 0 }
    }

    /// This node's members per room (rooms with none left out), for other nodes' presence.
    public func localViewers() -> [Int64: Int] {
        self.counts.withLock { counts in counts.compactMapValues { $0.viewers > 0 ? $0.viewers : nil } }
    }

    /// Replaces the other nodes' members per room (a room left out has none there).
    public func setRemoteViewers(_ remote: [Int64: Int]) {
        self.counts.withLock { counts in
            for eventId in counts.keys { counts[eventId]?.remote = remote[eventId] ?? 0 }
            for (eventId, viewers) in remote where counts[eventId] == nil {
                counts[eventId] = Presence(remote: viewers)
            }
        }
    }

    /// Sends the frame to every member of the room (or its hosts), from any thread, in a total order.
    public func publish(_ frame: LiveFrame, eventId: Int64) {
        self.framesPublished.add(1, ordering: .relaxed)
        let published = ContinuousClock.now
        self.publishOrder.withLock { _ in
            for loop in self.group.loops {
                loop.execute { [members, fanOut] in
                    // A copy: delivering may close a slow reader, which leaves the room.
                    guard let room = members.value(on: loop)[eventId] else { return }
                    room.deliver(frame)
                    fanOut?(.now - published)
                }
            }
        }
    }

    /// Tells every member of the room, on its own loop, about a change in what members may do; in the
    /// same total order as `publish`, so a member that loses its ticket sees nothing of a later
    /// frame as an attendee.
    public func notify(_ change: MemberChange, eventId: Int64) {
        self.publishOrder.withLock { _ in
            for loop in self.group.loops {
                loop.execute { [members] in
                    guard let room = members.value(on: loop)[eventId] else { return }
                    room.apply(change)  // a copy: applying may close a member, which leaves the room
                }
            }
        }
    }

    private func announcePresence() {
        while !self.stopped.load(ordering: .relaxed) {
            Thread.sleep(forTimeInterval: 1)
            let changed = self.counts.withLock { counts -> [(Int64, Int)] in
                var changed: [(Int64, Int)] = []
                for (eventId, presence) in counts where presence.total != presence.announced {
                    changed.append((eventId, presence.total))
                    counts[eventId]?.announced = presence.total
                }
                counts = counts.filter { $0.value.total > 0 || $0.value.announced > 0 }
                return changed
            }
            for (eventId, viewers) in changed {
                self.publish(self.presenceFrame(viewers), eventId: eventId)
            }
        }
    }
}

/// The members of one room on one loop.
struct RoomMembers {
    private var members: [any LiveMember] = []

    var isEmpty: Bool { self.members.isEmpty }

    mutating func add(_ member: any LiveMember) {
        self.members.append(member)
    }

    mutating func remove(_ member: any LiveMember) -> Bool {
        guard let index = self.members.firstIndex(where: { $0 === member }) else { return false }
        self.members.swapAt(index, self.members.count - 1)
        self.members.removeLast()
        return true
    }

    func apply(_ change: MemberChange) {
        for member in self.members { member.apply(change) }
    }

    func deliver(_ frame: LiveFrame) {
        switch frame.audience {
        case .everyone:
            for member in self.members { member.deliver(frame) }
        case .hosts:
            for member in self.members where member.isHost { member.deliver(frame) }
        }
    }
}
