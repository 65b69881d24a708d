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
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let numeric = host == "localhost" ? "127.0.0.1" : host
        guard getaddrinfo(numeric, String(port), &hints, &list) == 0, let info = list?.pointee, let address = info.ai_addr else {
            throw IOError(errnoCode: EINVAL, function: "getaddrinfo(\(host)): not a numeric IPv4 or IPv6 address")
        }
        defer { freeaddrinfo(list) }
        let fd = try syscallValue("socket") {
            socket(info.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            var one: Int32 = 1
            var zero: Int32 = 0
            let size = socklen_t(MemoryLayout<Int32>.size)
            _ = try syscallValue("setsockopt(SO_REUSEADDR)") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, size) }
            _ = try syscallValue("setsockopt(SO_REUSEPORT)") { setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, size) }
            if info.ai_family == AF_INET6 {
                _ = try syscallValue("setsockopt(IPV6_V6ONLY)") { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &zero, size) }
            }
            _ = try syscallValue("bind") { bind(fd, address, info.ai_addrlen) }
            _ = try syscallValue("listen") { listen(fd, backlog) }
            var bound = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = try syscallValue("getsockname") {
                withUnsafeMutablePointer(to: &bound) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                }
            }
            return (fd, Self.port(of: &bound))
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    private static func port(of address: inout sockaddr_storage) -> Int {
        let family = Int32(address.ss_family)
        return withUnsafePointer(to: &address) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }
}
