import CLinux

#if canImport(Glibc)
import Glibc
#endif

/// The connection's side of `BroadcastGroup`.
extension Connection {
    /// Takes the group's frames of this turn that this connection has not taken yet into its own
    /// queue, ahead of whatever it writes next, so its bytes leave in the order they were sent.
    /// The backlog bound is not applied here: it is one turn's frames, and the next check catches
    /// a reader that is behind.
    func takeGroupFrames() {
        guard let group = self.group, !group.pending.isEmpty, self.state == .open else { return }
        let taken = self.groupTurn == group.turn ? self.groupTaken : 0
        guard taken < group.pending.count else { return }
        for frame in group.pending[taken...] { self.enqueue(frame, limit: false) }
        self.groupTurn = group.turn
        self.groupTaken = group.pending.count
    }

    /// The group's flush: `chunk` (this turn's frames, shared by every member) goes out with one
    /// `send` when nothing is queued before it; otherwise it is queued behind what is. Answers
    /// false when queuing it would pass the backlog bound (nothing is queued then); adds the bytes
    /// the kernel took to `written` (the group tallies them for the loop once).
    func sendDirectly(_ chunk: ByteChunk, written total: inout Int) -> Bool {
        if !self.outbound.isEmpty || self.waitingForWritable || self.tls != nil {
            return self.enqueue(chunk, limit: true)
        }
        let result: IOResult<Int>
        do {
            // SIGPIPE is ignored process-wide (EventLoopGroup): a closed peer is EPIPE here.
            result = try syscall("send") { clinux_send(self.fd, chunk.base, chunk.count, 0) }
        } catch {
            self.closeNow()
            return true
        }
        switch result {
        case .processed(let written):
            total &+= written
            if written == chunk.count { return true }
            // The kernel took part: the rest waits for EPOLLOUT, starting where it stopped.
            self.outbound.append(chunk)
            self.outboundHeadOffset = written
            self.outboundBytes += chunk.count - written
        case .wouldBlock:
            self.outbound.append(chunk)
            self.outboundBytes += chunk.count
        }
        self.waitingForWritable = true
        return true
    }
}

extension Connection {
    /// Leaves its broadcast group, taking this turn's frames it has not had yet into its own queue.
    /// A WebSocket calls this before its close frame: nothing may follow that frame.
    public func leaveBroadcastGroup() {
        self.group?.remove(self)
    }
}
