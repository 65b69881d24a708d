import CLinux
import Foundation
public import Logging
import Synchronization
public import TLS

#if canImport(Glibc)
import Glibc
#endif

/// The event loops of one server: one thread each, by default one per core.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    public let stats: SocketStats
    /// The caps on accepted connections, shared by every loop.
    public let admission: ConnectionAdmission
    private let threads = Mutex<[Thread]>([])
    private let finished = Mutex<Int>(0)
    private let nextIndex = Atomic<Int>(0)
    private let logger: Logger

    /// - Parameters:
    ///   - threads: number of loops; `nil` means one per available core.
    ///   - maxOutboundBytes: per-connection bound on bytes waiting for a slow reader.
    ///   - connectionLimits: caps on accepted connections (none by default).
    public init(
        threads: Int? = nil, maxOutboundBytes: Int = 4 << 20, connectionLimits: ConnectionAdmission.Limits = .init(),
        logger: Logger
    ) throws {
        let count = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        self.logger = logger
        let stats = SocketStats()
        self.stats = stats
        self.admission = ConnectionAdmission(limits: connectionLimits, stats: stats)
        var loops: [EventLoop] = []
        for index in 0..<count {
            let loop = try EventLoop(index: index, stats: stats, admission: self.admission, logger: logger)
            loop.maxOutboundBytes = maxOutboundBytes
            loops.append(loop)
        }
        self.loops = loops
        signal(SIGPIPE, SIG_IGN)
    }

    /// Raises the soft open-files limit to the hard limit, so thousands of sockets fit. Returns the new limit.
    @discardableResult
    public static func raiseFileDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return -1 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(limit.rlim_cur)
    }

    /// A loop picked round-robin, for work that isn't tied to a connection.
    public func next() -> EventLoop {
        self.loops[self.nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue % self.loops.count]
    }

    /// Listens on `host:port` on every loop (SO_REUSEPORT, kept to this group: see `Listener.openGroup`).
    /// Returns the bound port (useful with port 0). Call before `start()`.
    ///
    /// - Parameters:
    ///   - tls: when set, every connection speaks TLS: the handler is made once the handshake
    ///     completes and reads and writes plaintext.
    ///   - tlsHandshakeTimeout: a handshake not finished by then is closed.
    /// - Throws: `IOError` with `EADDRINUSE` when anything already listens on the port, this
    ///   program included.
    public func bind(
        host: String,
        port: Int,
        backlog: Int32 = 4096,
        tls: TLSContext? = nil,
        tlsHandshakeTimeout: Duration = .seconds(10),
        handlerFactory: @escaping @Sendable (Connection) -> any ConnectionHandler
    ) throws -> Int {
        let (fds, boundPort) = try Listener.openGroup(host: host, port: port, count: self.loops.count, backlog: backlog)
        let timeout =
            Int(tlsHandshakeTimeout.components.seconds) * 1000
            + Int(tlsHandshakeTimeout.components.attoseconds / 1_000_000_000_000_000)
        for (index, (loop, fd)) in zip(self.loops, fds).enumerated() {
            do {
                try loop.addListener(
                    Listener(fd: fd, tls: tls, tlsHandshakeTimeoutMilliseconds: timeout, handlerFactory: handlerFactory))
            } catch {
                for unused in fds[index...] { Glibc.close(unused) }
                throw error
            }
        }
        return boundPort
    }

    /// Starts one thread per loop.
    public func start() {
        self.threads.withLock { threads in
            for loop in self.loops {
                let thread = Thread { [self] in
                    loop.run()
                    self.finished.withLock { $0 += 1 }
                }
                thread.name = "backchannel-loop-\(loop.index)"
                thread.stackSize = 1 << 20
                threads.append(thread)
                thread.start()
            }
        }
    }

    /// Stops accepting, lets every connection say goodbye (WebSockets close with 1001), waits up to
    /// `gracePeriod` for them to go, then stops the loops. Blocks the caller (never call it on a loop).
    public func shutdown(gracePeriod: Duration = .seconds(4)) {
        for loop in self.loops {
            loop.execute { loop.beginShutdown() }
        }
        let deadline = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < deadline && self.stats.connectionsOpen.load(ordering: .relaxed) > 0 {
            usleep(20_000)
        }
        for loop in self.loops { loop.stop() }
        let stopDeadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < stopDeadline && self.finished.withLock({ $0 }) < self.loops.count {
            usleep(5_000)
        }
    }
}
