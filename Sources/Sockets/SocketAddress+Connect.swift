import CLinux

#if canImport(Glibc)
import Glibc
#endif

extension SocketAddress {
    /// A non-blocking TCP socket (TCP_NODELAY, close-on-exec) whose connect to this address has
    /// started: the caller waits for writability (epoll or poll) and reads `SO_ERROR` to learn how it ended.
    ///
    /// - Throws: `IOError` when the socket cannot be made or the kernel refuses the connect at once.
    func startConnect() throws(IOError) -> Int32 {
        let fd = try syscallValue("socket") {
            socket(self.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if self.withSockaddr({ Glibc.connect(fd, $0, $1) }) != 0 {
            let err = clinux_errno()
            guard err == EINPROGRESS || err == EINTR else {
                Glibc.close(fd)
                throw IOError(errnoCode: err, function: "connect(\(self.numericHost):\(self.port))")
            }
        }
        return fd
    }
}
