#if canImport(Glibc)
import Glibc
#endif

/// The connections of one loop that receive the same frames: a room's members on that loop (one
/// group per wire form, plain or compressed). Sending to a group costs the same whatever its size;
/// the work per member is one `send` per loop turn, made at the end of the turn.
///
/// The frames sent in a turn are joined once into one chunk, shared by every member: a member with
/// nothing queued gets it with one `send` straight from the shared bytes, so the fan-out makes no
/// per-member queue entry, reference count or copy. A member that already has bytes waiting (a
/// slow reader, an answer of its own queued earlier, a TLS connection) gets the chunk queued behind
/// them instead, under its backlog bound, so its bytes keep their order. A connection's own writes
/// take the group's frames of the turn first (`Connection.write`), so a reply queued after a
/// broadcast also reaches the peer after it.
///
/// A connection belongs to at most one group. Everything runs on the group's loop thread.
public final class BroadcastGroup {
    public let loop: EventLoop
    var members: [Connection] = []
    /// Frames sent since the last flush, in order.
    var pending: [ByteChunk] = []
    /// Counts flushes, so a member can tell whether its `groupTaken` refers to this turn's frames.
    var turn: UInt64 = 1
    var inFlushList = false

    public init(loop: EventLoop) {
        self.loop = loop
    }

    public var count: Int { self.members.count }

    /// Adds an open connection; frames sent from now on reach it. A connection in another group
    /// leaves that one first.
    public func add(_ connection: Connection) {
        guard connection.state == .open, connection.group !== self else { return }
        connection.group?.remove(connection)
        connection.group = self
        connection.groupSlot = self.members.count
        connection.groupTurn = 0
        self.members.append(connection)
    }

    /// Removes a connection. Frames of this turn it has not received yet are queued on it first, so
    /// leaving never loses what was sent while it was a member.
    public func remove(_ connection: Connection) {
        guard connection.group === self else { return }
        connection.takeGroupFrames()
        let slot = connection.groupSlot
        let last = self.members.count - 1
        if slot != last {
            let moved = self.members[last]
            self.members[slot] = moved
            moved.groupSlot = slot
        }
        self.members.removeLast()
        connection.group = nil
        connection.groupSlot = -1
    }

    /// Queues a frame for every member; it goes out at the end of this loop turn.
    public func send(_ frame: ByteChunk) {
        guard !self.members.isEmpty else { return }
        self.pending.append(frame)
        if !self.inFlushList {
            self.inFlushList = true
            self.loop.groupFlushList.append(self)
        }
    }

    /// Writes this turn's frames to every member: `send` for members with nothing queued, the queue
    /// for the rest. Members past their backlog bound are told after the pass, when the member list
    /// may change again.
    func flush() {
        self.inFlushList = false
        guard !self.pending.isEmpty else { return }
        let frames = self.pending
        let chunk = frames.count == 1 ? frames[0] : ByteChunk(joining: frames)
        let turn = self.turn
        var overLimit: [Connection] = []
        var written = 0
        // A snapshot: a member that closes during the pass leaves `self.members`, not this copy,
        // which keeps every member alive to the end of the pass; so each visit borrows its member
        // without a retain and a release around the calls (callgrind: ~40 instructions per delivery).
        let members = self.members
        withExtendedLifetime(members) {
            for index in members.indices {
                Unmanaged.passUnretained(members[index])._withUnsafeGuaranteedRef { member in
                    let taken = member.groupTurn == turn ? member.groupTaken : 0
                    if taken == frames.count || member.state != .open { return }
                    if taken > 0 {
                        for frame in frames[taken...] where !member.enqueue(frame, limit: true) {
                            overLimit.append(member)
                            break
                        }
                    } else if !member.sendDirectly(chunk, written: &written) {
                        overLimit.append(member)
                    }
                }
            }
        }
        self.loop.bytesWrittenThisTurn &+= written
        self.pending.removeAll(keepingCapacity: true)
        self.turn &+= 1
        for member in overLimit where member.state == .open {
            member.handler?.connectionBacklogLimitReached(member)
        }
    }
}

extension ByteChunk {
    /// One chunk holding `chunks` back to back: a turn's frames for a group, copied once for all members.
    convenience init(joining chunks: [ByteChunk]) {
        var total = 0
        for chunk in chunks { total += chunk.count }
        self.init(count: total) { buffer in
            var offset = 0
            for chunk in chunks {
                UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + chunk.count]).copyMemory(from: chunk.bytes)
                offset += chunk.count
            }
        }
    }
}
