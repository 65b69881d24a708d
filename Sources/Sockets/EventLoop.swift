import CLinux
import Logging
import Synchronization
import TLS

#if canImport(Glibc)
import Glibc
#endif

/// One thread, one epoll instance, and every connection accepted on it.
///
/// Connections belong to their loop for life, so their state needs no locks. Other threads reach a
/// loop only through `execute`, a locked queue plus an eventfd wake-up. Each turn: wait, handle
/// readiness, run queued tasks, then flush every connection that was written to (one `writev` each),
/// so frames queued in one turn leave together.
public final class EventLoop: @unchecked Sendable {
    // Safe to share: fields below the `tasks` mutex are touched only on the loop thread.
    static let maxIOVecs = 256
    static let sweepIntervalMilliseconds: UInt64 = 500
    /// How long a closing connection may go without the peer taking any of its last bytes.
    static let closeFlushTimeoutMilliseconds: UInt64 = 10_000

    public let index: Int
    let epfd: Int32
    private let wakeFD: Int32
    private let tasks = Mutex<(queue: [@Sendable () -> Void], wakePending: Bool)>(([], false))
    private let stopping = Atomic<Bool>(false)
    let stats: SocketStats
    let logger: Logger
    /// The group's connection caps, consulted for every accepted connection.
    let admission: ConnectionAdmission

    // Loop-owned state.
    private var connections: [Connection?] = []
    private var nextGeneration: UInt32 = 1
    private var listeners: [Listener] = []
    var flushList: [Connection] = []
    /// Broadcast groups sent to in this turn; flushed before `flushList`.
    var groupFlushList: [BroadcastGroup] = []
    /// Bytes moved this turn, added to the shared `stats` once per turn rather than per syscall:
    /// the atomics are shared by every loop, and one add per send made the loops fight over them.
    var bytesReadThisTurn = 0
    var bytesWrittenThisTurn = 0
    var readAgainList: [Connection] = []
    let readBuffer: UnsafeMutableRawBufferPointer
    let iovecs: UnsafeMutablePointer<iovec>
    private var events: UnsafeMutableBufferPointer<epoll_event>
    private var nextSweep: UInt64 = 0
    private var threadID: pthread_t?
    /// Monotonic milliseconds at the start of this turn.
    public private(set) var now: UInt64
    public private(set) var connectionCount = 0
    /// Bytes a connection may have waiting for the kernel before writes are refused.
    var maxOutboundBytes = 4 << 20

    init(
        index: Int, stats: SocketStats, admission: ConnectionAdmission, logger: Logger, readBufferSize: Int = 256 << 10
    ) throws(IOError) {
        self.index = index
        self.stats = stats
        self.admission = admission
        self.logger = logger
        self.epfd = try Epoll.create()
        self.wakeFD = try EventFD.create()
        self.readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
        self.iovecs = .allocate(capacity: Self.maxIOVecs)
        self.events = .allocate(capacity: 256)
        self.now = monotonicMilliseconds()
        try Epoll.add(epfd: self.epfd, fd: self.wakeFD, events: [.readable, .edgeTriggered], data: UInt64(self.wakeFD))
    }

    deinit {
        Glibc.close(self.epfd)
        Glibc.close(self.wakeFD)
        self.readBuffer.deallocate()
        self.iovecs.deallocate()
        self.events.deallocate()
    }

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool {
        guard let threadID = self.threadID else { return false }
        return pthread_equal(threadID, pthread_self()) != 0
    }

    /// Runs `task` on the loop thread, soon. Safe from any thread.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        let needsWake = self.tasks.withLock { state -> Bool in
            state.queue.append(task)
            if state.wakePending { return false }
            state.wakePending = true
            return true
        }
        if needsWake { EventFD.signal(self.wakeFD) }
    }

    // MARK: Running

    func run() {
        self.threadID = pthread_self()
        while !self.stopping.load(ordering: .acquiring) {
            // Connections with more to read (fairness, or reading resumed) must not wait for an event.
            let timeout =
                self.readAgainList.isEmpty
                ? Int32(clamping: self.nextSweep > self.now ? self.nextSweep - self.now : 0) : 0
            let count = epoll_wait(self.epfd, self.events.baseAddress, Int32(self.events.count), timeout)
            self.now = monotonicMilliseconds()
            if count > 0 {
                for i in 0..<Int(count) {
                    withUnsafePointer(to: &self.events[i]) { self.dispatch($0) }
                }
                if Int(count) == self.events.count { self.growEvents() }
            }
            self.runTasks()
            self.runReadAgain()
            self.flushAll()
            if self.now >= self.nextSweep { self.sweep() }
        }
        self.closeEverything()
    }

    func stop() {
        self.stopping.store(true, ordering: .releasing)
        EventFD.signal(self.wakeFD)
    }

    private func dispatch(_ event: UnsafePointer<epoll_event>) {
        let data = clinux_epoll_event_u64(event)
        let bits = EpollEvents(rawValue: clinux_epoll_event_events(event))
        let fd = Int32(truncatingIfNeeded: data & 0xFFFF_FFFF)
        let generation = UInt32(truncatingIfNeeded: data >> 32)
        if generation == 0 {
            if fd == self.wakeFD {
                EventFD.drain(self.wakeFD)
            } else if let listener = self.listeners.first(where: { $0.fd == fd }), !listener.acceptPaused {
                self.acceptAll(listener)  // a paused listener is retried by the sweep
            }
            return
        }
        guard Int(fd) < self.connections.count, let connection = self.connections[Int(fd)],
            connection.generation == generation
        else { return }
        if !bits.isDisjoint(with: [.readable, .readHangup, .hangup, .error]) {
            connection.handleReadable()
        }
        if bits.contains(.writable) && connection.state != .closed {
            connection.handleWritable()
        }
    }

    private func runTasks() {
        let batch = self.tasks.withLock { state -> [@Sendable () -> Void] in
            state.wakePending = false
            let batch = state.queue
            state.queue.removeAll(keepingCapacity: true)
            return batch
        }
        for task in batch { task() }
    }

    private func runReadAgain() {
        guard !self.readAgainList.isEmpty else { return }
        let list = self.readAgainList
        self.readAgainList.removeAll(keepingCapacity: true)
        for connection in list {
            connection.inReadAgainList = false
            connection.handleReadable()
        }
    }

    private func flushAll() {
        while !self.groupFlushList.isEmpty || !self.flushList.isEmpty {
            // Groups first: a member with bytes of its own queued gets the group's frames queued
            // behind them, and then one gathered write below.
            if !self.groupFlushList.isEmpty {
                let groups = self.groupFlushList
                self.groupFlushList.removeAll(keepingCapacity: true)
                for group in groups { group.flush() }
            }
            let list = self.flushList
            self.flushList.removeAll(keepingCapacity: true)
            for connection in list where connection.inFlushList {
                connection.flush()
            }
        }
        self.reportBytes()
    }

    private func reportBytes() {
        if self.bytesReadThisTurn != 0 {
            self.stats.bytesRead.add(self.bytesReadThisTurn, ordering: .relaxed)
            self.bytesReadThisTurn = 0
        }
        if self.bytesWrittenThisTurn != 0 {
            self.stats.bytesWritten.add(self.bytesWrittenThisTurn, ordering: .relaxed)
            self.bytesWrittenThisTurn = 0
        }
    }

    private func sweep() {
        self.nextSweep = self.now + Self.sweepIntervalMilliseconds
        // By index: `for case let … in` went through the unspecialized generic iterator (callgrind).
        var index = 0
        while index < self.connections.count {
            if let connection = self.connections[index], connection.deadline != 0, connection.deadline <= self.now {
                connection.deadlinePassed()
            }
            index += 1
        }
        for listener in self.listeners where listener.acceptPaused {
            listener.acceptPaused = false
            self.acceptAll(listener)
        }
        self.admission.flushReport(now: self.now, logger: self.logger)
    }

    private func growEvents() {
        let bigger = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: self.events.count * 2)
        self.events.deallocate()
        self.events = bigger
    }

    // MARK: Connections

    func addListener(_ listener: Listener) throws(IOError) {
        try Epoll.add(epfd: self.epfd, fd: listener.fd, events: [.readable, .edgeTriggered], data: UInt64(listener.fd))
        self.listeners.append(listener)
    }

    /// Makes the `Connection` for `fd` and its handler: at once for plain and client TLS
    /// connections (`clientTLS`, whose ClientHello is queued here), after the handshake for
    /// connections accepted on a TLS listener.
    ///
    /// `admitted` is set for connections `ConnectionAdmission` let in: they give their place (and
    /// their address slot, if any) back when they close.
    func register(
        fd: Int32, listener: Listener, clientTLS: TLSConnection? = nil,
        admitted: ConnectionAdmission.Verdict? = nil
    ) {
        let factory = listener.handlerFactory
        let generation = self.nextGeneration
        self.nextGeneration = self.nextGeneration == UInt32.max ? 1 : self.nextGeneration + 1
        let connection = Connection(fd: fd, loop: self, generation: generation, maxOutboundBytes: self.maxOutboundBytes)
        if case .admitted(let slot) = admitted {
            connection.admitted = true
            connection.addressSlot = slot
        }
        if Int(fd) >= self.connections.count {
            self.connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - self.connections.count + 64))
        }
        self.connections[Int(fd)] = connection
        let data = UInt64(UInt32(bitPattern: fd)) | (UInt64(generation) << 32)
        do {
            try Epoll.add(
                epfd: self.epfd, fd: fd,
                events: [.readable, .writable, .readHangup, .edgeTriggered], data: data)
        } catch {
            self.connections[Int(fd)] = nil
            Glibc.close(fd)
            if connection.admitted { self.admission.closed(slot: connection.addressSlot) }
            return
        }
        self.connectionCount += 1
        self.stats.connectionsAccepted.add(1, ordering: .relaxed)
        self.stats.connectionsOpen.add(1, ordering: .relaxed)
        if let tls = listener.tls {
            // The handler is made once the handshake completes (Connection+TLS.swift).
            do {
                connection.tls = TLSTransport(session: try tls.makeConnection(), handlerFactory: factory)
            } catch {
                self.logger.warning("TLS session failed", metadata: ["error": "\(error)"])
                connection.closeNow()
                return
            }
            connection.setDeadline(milliseconds: listener.tlsHandshakeTimeoutMilliseconds)
            return
        }
        connection.handler = factory(connection)
        if let clientTLS {
            let transport = TLSTransport(clientSession: clientTLS)
            connection.tls = transport
            connection.startClientHandshake(transport)
        }
    }

    func connectionClosed(_ connection: Connection) {
        if Int(connection.fd) < self.connections.count, self.connections[Int(connection.fd)] === connection {
            self.connections[Int(connection.fd)] = nil
        }
        self.connectionCount -= 1
        self.stats.connectionsOpen.subtract(1, ordering: .relaxed)
        if connection.admitted {
            self.admission.closed(slot: connection.addressSlot)
            connection.admitted = false
            connection.addressSlot = nil
        }
    }

    /// Stops accepting and asks every connection's handler to say goodbye.
    func beginShutdown() {
        for listener in self.listeners {
            Epoll.remove(epfd: self.epfd, fd: listener.fd)
            Glibc.close(listener.fd)
        }
        self.listeners.removeAll()
        for case let connection? in self.connections where connection.state == .open {
            if let handler = connection.handler {
                handler.connectionShouldShutDown(connection)
            } else {
                connection.closeNow()  // still in its TLS handshake
            }
        }
    }

    private func closeEverything() {
        for case let connection? in self.connections {
            connection.closeNow()
        }
        for listener in self.listeners { Glibc.close(listener.fd) }
        self.listeners.removeAll()
    }
}
