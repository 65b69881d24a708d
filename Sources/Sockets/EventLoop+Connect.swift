import CLinux

#if canImport(Glibc)
import Glibc
#endif

extension EventLoop {
    /// Opens a client TCP connection to `host:port` (a numeric IPv4 address) and registers it on
    /// this loop like an accepted one: the handler `handlerFactory` makes gets the same callbacks.
    ///
    /// The connect is non-blocking. Bytes the handler writes before it completes wait in the
    /// outbound queue (the kernel answers `EAGAIN`) and leave once the socket turns writable. A
    /// refused or failed connect shows up as `connectionDidClose` without any read. Call on this
    /// loop's thread (`execute` gets you there). Counted in the stats as an accepted connection.
    ///
    /// - Throws: `IOError` when the address is not numeric IPv4 or the socket cannot be made, or
    ///   when the kernel refuses the connect at once.
    public func connect(
        host: String, port: Int, handlerFactory: @escaping @Sendable (Connection) -> any ConnectionHandler
    ) throws(IOError) {
        assert(self.inEventLoop, "connect called off its loop")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw IOError(errnoCode: EINVAL, function: "inet_pton(\(host))")
        }
        let fd = try syscallValue("socket") {
            socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let err = clinux_errno()
            guard err == EINPROGRESS || err == EINTR else {
                Glibc.close(fd)
                throw IOError(errnoCode: err, function: "connect(\(host):\(port))")
            }
        }
        // A listener stand-in that only carries the factory: no descriptor, no TLS.
        self.register(fd: fd, listener: Listener(fd: -1, handlerFactory: handlerFactory))
    }
}
