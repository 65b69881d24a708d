import CLinux
import TLS

#if canImport(Glibc)
import Glibc
#endif

/// A listening socket owned by one loop. Every loop has its own, bound to the same port with
/// SO_REUSEPORT, so the kernel spreads new connections across loops with no acceptor thread
/// (`openGroup` keeps the port to this server).
final class Listener {
    let fd: Int32
    let handlerFactory: @Sendable (Connection) -> any ConnectionHandler
    /// When set, every accepted connection speaks TLS with this context.
    let tls: TLSContext?
    let tlsHandshakeTimeoutMilliseconds: Int
    var acceptPaused = false

    init(
        fd: Int32,
        tls: TLSContext? = nil,
        tlsHandshakeTimeoutMilliseconds: Int = 10_000,
        handlerFactory: @escaping @Sendable (Connection) -> any ConnectionHandler
    ) {
        self.fd = fd
        self.tls = tls
        self.tlsHandshakeTimeoutMilliseconds = tlsHandshakeTimeoutMilliseconds
        self.handlerFactory = handlerFactory
    }

    /// Opens `count` listening sockets on one port, one per loop, that only this server can use.
    ///
    /// Each has SO_REUSEPORT, so the kernel spreads new connections over the loops with no acceptor
    /// thread. On its own SO_REUSEPORT would let any later socket of the same user join the group and
    /// take a share of the connections (a second `serve` on a busy port would start and split the
    /// traffic), so: a probe socket without SO_REUSEPORT binds first and fails with EADDRINUSE if
    /// anything holds the port, a reuseport group included; it stays bound while the group is built;
    /// and a classic BPF program (`clinux_attach_reuseport_cbpf`) picks among our `count` sockets only,
    /// so a socket that joins later gets no connection.
    ///
    /// `host` is a numeric IPv4 or IPv6 address (`localhost` means 127.0.0.1). `::` listens on every
    /// IPv6 and IPv4 address at once (dual stack, whatever the system's `bindv6only` says), as `0.0.0.0`
    /// does for IPv4 only.
    ///
    /// - Returns: the descriptors and the port actually bound (the chosen one for port 0).
    /// - Throws: `IOError` with `EADDRINUSE` from `bind` when the port is taken.
    static func openGroup(host: String, port: Int, count: Int, backlog: Int32) throws(IOError) -> (fds: [Int32], port: Int) {
        let numericHost = host == "localhost" ? "127.0.0.1" : host
        let probe = try Self.openSocket(SocketAddress(numericHost: numericHost, port: port), reusePort: false)
        defer { Glibc.close(probe) }
        guard let probed = SocketAddress.of(socket: probe, peer: false) else {
            throw IOError(errnoCode: clinux_errno(), function: "getsockname")
        }
        let address = try SocketAddress(numericHost: numericHost, port: probed.port)
        var fds: [Int32] = []
        do throws(IOError) {
            for _ in 0..<count {
                let fd = try Self.openSocket(address, reusePort: true)
                fds.append(fd)
                _ = try syscallValue("listen") { listen(fd, backlog) }
            }
            _ = try syscallValue("setsockopt(SO_ATTACH_REUSEPORT_CBPF)") {
                clinux_attach_reuseport_cbpf(fds[0], UInt32(count))
            }
            return (fds, probed.port)
        } catch {
            for fd in fds { Glibc.close(fd) }
            throw error
        }
    }

    /// A bound, non-blocking TCP socket (SO_REUSEADDR, so connections in TIME_WAIT never block a restart).
    private static func openSocket(_ address: SocketAddress, reusePort: Bool) throws(IOError) -> Int32 {
        let fd = try syscallValue("socket") {
            socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(IOError) {
            var one: Int32 = 1
            var zero: Int32 = 0
            let size = socklen_t(MemoryLayout<Int32>.size)
            _ = try syscallValue("setsockopt(SO_REUSEADDR)") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, size) }
            if reusePort {
                _ = try syscallValue("setsockopt(SO_REUSEPORT)") { setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, size) }
            }
            if address.family == AF_INET6 {
                _ = try syscallValue("setsockopt(IPV6_V6ONLY)") { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &zero, size) }
            }
            _ = try syscallValue("bind") { address.withSockaddr { bind(fd, $0, $1) } }
            return fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }
}
