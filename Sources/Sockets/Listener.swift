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
    static func open(host: String, port: Int, backlog: Int32) throws(IOError) -> (fd: Int32, port: Int) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let resolved = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, resolved, &address.sin_addr) == 1 else {
            throw IOError(errnoCode: EINVAL, function: "inet_pton(\(host))")
        }
        let fd = try syscallValue("socket") {
            socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            var one: Int32 = 1
            let size = socklen_t(MemoryLayout<Int32>.size)
            _ = try syscallValue("setsockopt(SO_REUSEADDR)") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, size) }
            _ = try syscallValue("setsockopt(SO_REUSEPORT)") { setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, size) }
            _ = try syscallValue("bind") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            _ = try syscallValue("listen") { listen(fd, backlog) }
            var bound = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = try syscallValue("getsockname") {
                withUnsafeMutablePointer(to: &bound) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                }
            }
            return (fd, Int(UInt16(bigEndian: bound.sin_port)))
        } catch {
            Glibc.close(fd)
            throw error
        }
    }
}
