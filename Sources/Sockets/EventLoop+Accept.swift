import CLinux

#if canImport(Glibc)
import Glibc
#endif

extension EventLoop {
    /// Accepts until the kernel has no more (edge-triggered epoll says so only once). Each new
    /// connection goes past `ConnectionAdmission`: over a cap it is closed at once, which still
    /// drains the backlog. Out of descriptors (EMFILE/ENFILE) or memory, accepting pauses until the
    /// next sweep (half a second) instead of spinning on a connection it cannot take; the sweep
    /// accepts again, so the connections still waiting in the backlog are not forgotten.
    func acceptAll(_ listener: Listener) {
        var storage = sockaddr_storage()
        while true {
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    clinux_accept4(listener.fd, address, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                }
            }
            if fd < 0 {
                let err = clinux_errno()
                switch err {
                case EINTR, ECONNABORTED, EPROTO: continue
                case EAGAIN: return
                default:
                    self.admission.acceptFailed(errno: err, now: self.now, logger: self.logger)
                    listener.acceptPaused = true
                    return
                }
            }
            let peer = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { PeerKey($0) }
            }
            let verdict = self.admission.admit(peer, now: self.now, logger: self.logger)
            guard verdict != .refused else {
                Glibc.close(fd)
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            self.register(fd: fd, listener: listener, admitted: verdict)
        }
    }
}
