import CLinux
import TLS

#if canImport(Glibc)
import Glibc
#endif

/// A listening socket owned by one loop. Every loop has its own, bound to the same port with
/// SO_REUSEPORT, so the kernel spreads new connections across loops with no acceptor thread.
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

    /// Opens, binds and listens; returns the descriptor and the port actually bound (for port 0).
    ///
    /// `host` is a numeric IPv4 or IPv6 address (`localhost` means 127.0.0.1). `::` listens on every
    /// IPv6 and IPv4 address at once (dual stack, whatever the system's `bindv6only` says), as `0.0.0.0`
    /// does for IPv4 only.
    static func open(host: String, port: Int, backlog: Int32) throws(IOError) -> (fd: Int32, port: Int) {
        let address = try SocketAddress(numericHost: host == "localhost" ? "127.0.0.1" : host, port: port)
        let fd = try syscallValue("socket") {
            socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(IOError) {
            var one: Int32 = 1
            var zero: Int32 = 0
            let size = socklen_t(MemoryLayout<Int32>.size)
            _ = try syscallValue("setsockopt(SO_REUSEADDR)") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, size) }
            _ = try syscallValue("setsockopt(SO_REUSEPORT)") { setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, size) }
            if address.family == AF_INET6 {
                _ = try syscallValue("setsockopt(IPV6_V6ONLY)") { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &zero, size) }
            }
            _ = try syscallValue("bind") { address.withSockaddr { bind(fd, $0, $1) } }
            _ = try syscallValue("listen") { listen(fd, backlog) }
            guard let bound = SocketAddress.of(socket: fd, peer: false) else {
                throw IOError(errnoCode: clinux_errno(), function: "getsockname")
            }
            return (fd, bound.port)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }
}
