import CLinux
import DequeModule
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One accepted TCP connection, owned for life by one event loop.
///
/// Every method must be called on the owning loop's thread (`loop.execute` gets you there); the
/// type is `@unchecked Sendable` only so that other threads can hold a reference and hop over.
/// An idle connection holds no buffers: the outbound queue is empty until something is written.
public final class Connection: @unchecked Sendable {
    enum State: UInt8 {
        case open
        /// Flushing what is queued; then the write side is shut down.
        case closing
        /// Write side shut down; reading and discarding until the peer's EOF (or the deadline), so
        /// that closing never resets the connection before the peer has read our last bytes.
        case lingering
        case closed
    }

    public let fd: Int32
    public unowned let loop: EventLoop
    let generation: UInt32
    public var handler: (any ConnectionHandler)?
    /// Set for connections accepted on a TLS listener; nil (one pointer) for plain ones.
    var tls: TLSTransport?

    var state: State = .open
    var inFlushList = false
    var waitingForWritable = false
    var inReadAgainList = false
    /// `pauseReading()` was called: the socket is not read until `resumeReading()`.
    var readingPaused = false
    /// Accepted past `ConnectionAdmission`, which gets its place back at close.
    var admitted = false
    /// The per-address slot this connection holds, until the handler releases it or it closes.
    var addressSlot: PeerKey?
    /// `notifyWhenDrained()` was called and the handler has not been told yet.
    var drainNotificationRequested = false
    var outbound: Deque<ByteChunk> = []
    var outboundHeadOffset = 0
    public internal(set) var outboundBytes = 0
    /// Monotonic milliseconds; 0 = none.
    var deadline: UInt64 = 0
    /// The broadcast group this connection belongs to, and its place in the group's member list.
    var group: BroadcastGroup?
    var groupSlot = -1
    /// How many of the group's frames of turn `groupTurn` this connection has already taken into
    /// its own queue (`takeGroupFrames`), so the group's flush does not send them twice.
    var groupTurn: UInt64 = 0
    var groupTaken = 0

    /// The most bytes the kernel may refuse before `write` starts answering false.
    public var maxOutboundBytes: Int

    init(fd: Int32, loop: EventLoop, generation: UInt32, maxOutboundBytes: Int) {
        self.fd = fd
        self.loop = loop
        self.generation = generation
        self.maxOutboundBytes = maxOutboundBytes
    }

    public var isOpen: Bool { self.state == .open }

    /// Whether bytes travel over TLS (the handler sees plaintext either way).
    public var isSecure: Bool { self.tls != nil }

    /// Queues bytes; they go out in one gathered write at the end of this loop turn, after the
    /// frames its broadcast group (if any) was sent earlier in the turn.
    /// Answers false, queuing nothing, when the connection is closing or its backlog would pass
    /// `maxOutboundBytes` (unless `ignoringLimit`): the caller decides what a slow reader deserves.
    @discardableResult
    public func write(_ chunk: ByteChunk, ignoringLimit: Bool = false) -> Bool {
        guard self.state == .open else { return false }
        if self.group != nil { self.takeGroupFrames() }
        return self.enqueue(chunk, limit: !ignoringLimit)
    }

    /// Appends to the outbound queue (under the backlog bound when `limit`) and asks for a flush.
    @discardableResult
    func enqueue(_ chunk: ByteChunk, limit: Bool) -> Bool {
        if limit && self.outboundBytes + chunk.count > self.maxOutboundBytes { return false }
        self.outbound.append(chunk)
        self.outboundBytes += chunk.count
        if !self.inFlushList && !self.waitingForWritable {
            self.inFlushList = true
            self.loop.flushList.append(self)
        }
        return true
    }

    @discardableResult
    public func write(_ bytes: [UInt8], ignoringLimit: Bool = false) -> Bool {
        self.write(ByteChunk(bytes), ignoringLimit: ignoringLimit)
    }

    public enum CloseMode {
        /// Drop the connection now; queued bytes are lost.
        case immediately
        /// Send what is queued, shut down the write side, then close once the peer has gone.
        case afterFlush
    }

    public func close(mode: CloseMode) {
        switch (self.state, mode) {
        case (.closed, _):
            return
        case (_, .immediately):
            self.closeNow()
        case (.open, .afterFlush):
            if self.group != nil { self.takeGroupFrames() }  // sent before the close: they go first
            self.state = .closing
            // A peer that never reads our last bytes must not hold the connection for ever; an
            // earlier deadline (a WebSocket's close wait) stays.
            let closeBy = self.loop.now &+ EventLoop.closeFlushTimeoutMilliseconds
            if self.deadline == 0 || self.deadline > closeBy { self.deadline = closeBy }
            if let tls = self.tls {
                self.scheduleTLSFlush(tls)  // close_notify goes out before the write side shuts
            } else if self.outbound.isEmpty {
                self.finishClosing()
            }
        case (.closing, .afterFlush), (.lingering, .afterFlush):
            return
        }
    }

    /// Calls the handler's `connectionDeadlinePassed` once `milliseconds` from now have passed
    /// (checked by the loop's coarse sweep, twice a second). Replaces any earlier deadline.
    /// Once the connection is closing it keeps its own deadline and this does nothing.
    public func setDeadline(milliseconds: Int) {
        guard self.state == .open else { return }
        self.deadline = self.loop.now &+ UInt64(max(milliseconds, 1))
    }

    /// Like `setDeadline(milliseconds:)`, at a loop time (`loop.now` milliseconds); a time already
    /// past is kept as it is, so the loop's next sweep calls the handler.
    public func setDeadline(at instant: UInt64) {
        guard self.state == .open else { return }
        self.deadline = max(instant, 1)
    }

    public func clearDeadline() {
        guard self.state == .open else { return }
        self.deadline = 0
    }

    // MARK: Loop side

    func handleReadable() {
        var reads = 0
        while self.state != .closed {
            if self.readingPaused && self.state == .open { return }
            let buffer = self.loop.readBuffer
            let result: IOResult<Int>
            do {
                result = try syscall("read") { read(self.fd, buffer.baseAddress, buffer.count) }
            } catch {
                self.closeNow()
                return
            }
            switch result {
            case .wouldBlock:
                return
            case .processed(0):
                if self.state == .open, let handler = self.handler {
                    handler.connectionDidReadEOF(self)
                } else {
                    self.closeNow()
                }
                return
            case .processed(let count):
                self.loop.bytesReadThisTurn &+= count
                if self.state == .open {
                    if let tls = self.tls {
                        self.tlsDidRead(tls, buffer, count: count)
                    } else {
                        self.handler?.connectionDidRead(self, UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
                    }
                }
                if count < buffer.count { return }
                reads += 1
                if reads >= 8 {
                    self.readAgain()  // fairness: let other connections run; epoll won't tell us again
                    return
                }
            }
        }
    }

    func handleWritable() {
        guard self.waitingForWritable else { return }
        self.waitingForWritable = false
        self.flush()
    }

    func flush() {
        self.inFlushList = false
        guard self.state == .open || self.state == .closing else { return }
        if let tls = self.tls {
            self.flushTLS(tls)
            return
        }
        let iovecs = self.loop.iovecs
        while !self.outbound.isEmpty {
            var count = 0
            var offset = self.outboundHeadOffset
            for chunk in self.outbound {
                if count == EventLoop.maxIOVecs { break }
                iovecs[count] = iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: chunk.base + offset),
                    iov_len: chunk.count - offset
                )
                offset = 0
                count += 1
            }
            let result: IOResult<Int>
            do {
                // One chunk (the usual case: a turn's frames joined by a group) needs no iovec.
                if count == 1 {
                    let iov = iovecs[0]
                    result = try syscall("send") { clinux_send(self.fd, iov.iov_base, iov.iov_len, 0) }
                } else {
                    result = try syscall("writev") { clinux_writev(self.fd, iovecs, Int32(count)) }
                }
            } catch {
                self.closeNow()
                return
            }
            switch result {
            case .wouldBlock:
                self.waitingForWritable = true
                return
            case .processed(var written):
                self.loop.bytesWrittenThisTurn &+= written
                self.outboundBytes -= written
                self.madeClosingProgress(written)
                while written > 0, let head = self.outbound.first {
                    let left = head.count - self.outboundHeadOffset
                    if written >= left {
                        written -= left
                        self.outbound.removeFirst()
                        self.outboundHeadOffset = 0
                    } else {
                        self.outboundHeadOffset += written
                        written = 0
                    }
                }
            }
        }
        if self.state == .closing { self.finishClosing() }
        self.notifyDrainedIfRequested()
    }

    /// The peer took `written` bytes while we are closing: it reads, so it gets more time.
    func madeClosingProgress(_ written: Int) {
        if self.state == .closing && written > 0 {
            self.deadline = self.loop.now &+ EventLoop.closeFlushTimeoutMilliseconds
        }
    }

    func finishClosing() {
        _ = shutdown(self.fd, Int32(SHUT_WR))
        self.state = .lingering
        self.deadline = self.loop.now &+ 2000
        // Read (and discard) until the peer's EOF, also what arrived while reading was paused.
        if self.readingPaused {
            self.readingPaused = false
            self.readAgain()
        }
    }

    func deadlinePassed() {
        self.deadline = 0
        switch self.state {
        case .open:
            if let handler = self.handler {
                handler.connectionDeadlinePassed(self)
            } else {
                self.loop.stats.tlsHandshakesFailed.add(1, ordering: .relaxed)
                self.closeNow()  // a TLS handshake that did not finish in time
            }
        case .closing, .lingering: self.closeNow()
        case .closed: return
        }
    }

    func closeNow() {
        guard self.state != .closed else { return }
        self.state = .closed
        self.group?.remove(self)
        Epoll.remove(epfd: self.loop.epfd, fd: self.fd)
        _ = Glibc.close(self.fd)
        self.loop.connectionClosed(self)
        self.outbound.removeAll()
        self.outboundBytes = 0
        self.tls = nil
        let handler = self.handler
        self.handler = nil
        handler?.connectionDidClose(self)
    }
}
