import Foundation
public import Sockets
import Synchronization

/// Rooms of live connections, one per event, spread over the event loops.
///
/// A message is encoded once (`LiveFrame`) and handed to each loop in one task. There, members that
/// take the room's frames as they come (`promote`) are in a `BroadcastGroup` per wire form, so the
/// frame costs one append however many they are and the loop's end-of-turn flush sends each of
/// them the turn's frames in one `send`; the others (joining, resuming) get it through `deliver`.
/// A lock around the hand-off gives every loop the same order, so every client sees the same sequence.
/// Presence (viewer counts) goes out at most once a second per room, only when it changed; with
/// several nodes the count announced is this node's plus what the others reported (`setRemoteViewers`).
public final class LiveHub: Sendable {
    private let group: EventLoopGroup
    private let members: PerLoop<[Int64: RoomMembers]>
    private let publishOrder = Mutex<Void>(())
    private let counts = Mutex<[Int64: Presence]>([:])
    private let presenceFrame: @Sendable (Int) -> LiveFrame
    private let stopped = Atomic<Bool>(false)
    /// Told, on each loop holding members of the room, how long a frame took from `publish` to handed to them.
    private let fanOut: (@Sendable (Duration) -> Void)?
    /// Told how many members of a loop's broadcast groups a frame was queued for (`deliver` counts its own).
    private let sent: (@Sendable (Int) -> Void)?

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
    ///   - sent: frames queued through broadcast groups, for metrics.
    public init(
        group: EventLoopGroup, presenceFrame: @escaping @Sendable (Int) -> LiveFrame,
        fanOut: (@Sendable (Duration) -> Void)? = nil, sent: (@Sendable (Int) -> Void)? = nil
    ) {
        self.group = group
        self.fanOut = fanOut
        self.sent = sent
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
            rooms[eventId, default: RoomMembers(loop: loop)].add(member)
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

    /// From now on the member gets the room's frames through its connection's broadcast group
    /// (`LiveMember.fanOutConnection`), no longer through `deliver`, except frames for hosts only.
    /// For a member that needs no per-frame decision any more: resumed, past any duplicates.
    public func promote(_ member: any LiveMember, eventId: Int64, loop: EventLoop) {
        self.members.withValue(on: loop) { rooms in
            rooms[eventId]?.promote(member)
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
        let published = ContinuousClock.now
        self.publishOrder.withLock { _ in
            for loop in self.group.loops {
                loop.execute { [members, fanOut, sent] in
                    // A copy: delivering may close a slow reader, which leaves the room.
                    guard let room = members.value(on: loop)[eventId] else { return }
                    let grouped = room.deliver(frame)
                    if grouped > 0 { sent?(grouped) }
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

/// The members of one room on one loop: those promoted to the room's broadcast groups (one per
/// wire form) and those still handed each frame.
struct RoomMembers {
    private var individual: [any LiveMember] = []
    private var grouped: [any LiveMember] = []
    private let plain: BroadcastGroup
    private let compressed: BroadcastGroup

    init(loop: EventLoop) {
        self.plain = BroadcastGroup(loop: loop)
        self.compressed = BroadcastGroup(loop: loop)
    }

    var isEmpty: Bool { self.individual.isEmpty && self.grouped.isEmpty }

    mutating func add(_ member: any LiveMember) {
        self.individual.append(member)
    }

    mutating func remove(_ member: any LiveMember) -> Bool {
        if let index = self.individual.firstIndex(where: { $0 === member }) {
            self.individual.swapAt(index, self.individual.count - 1)
            self.individual.removeLast()
            return true
        }
        guard let index = self.grouped.firstIndex(where: { $0 === member }) else { return false }
        self.grouped.swapAt(index, self.grouped.count - 1)
        self.grouped.removeLast()
        return true  // its connection left the broadcast group when it closed
    }

    /// Every member, grouped or not: a change concerns each one whatever way frames reach it.
    func apply(_ change: MemberChange) {
        for member in self.individual { member.apply(change) }
        for member in self.grouped { member.apply(change) }
    }

    mutating func promote(_ member: any LiveMember) {
        guard let target = member.fanOutConnection,
            let index = self.individual.firstIndex(where: { $0 === member })
        else { return }
        self.individual.swapAt(index, self.individual.count - 1)
        self.individual.removeLast()
        self.grouped.append(member)
        (target.compressed ? self.compressed : self.plain).add(target.connection)
    }

    /// Hands the frame to every member; returns how many got it through a broadcast group.
    func deliver(_ frame: LiveFrame) -> Int {
        switch frame.audience {
        case .everyone:
            self.plain.send(frame.frame)
            self.compressed.send(frame.compressed ?? frame.frame)
            for member in self.individual { member.deliver(frame) }
            return self.plain.count + self.compressed.count
        case .hosts:
            for member in self.individual where member.isHost { member.deliver(frame) }
            for member in self.grouped where member.isHost { member.deliver(frame) }
            return 0
        }
    }
}
