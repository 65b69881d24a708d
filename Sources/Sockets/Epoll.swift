import CLinux

#if canImport(Glibc)
import Glibc
#endif

/// The epoll readiness bits this engine uses.
struct EpollEvents: OptionSet {
    let rawValue: UInt32
    static let readable = EpollEvents(rawValue: EPOLLIN.rawValue)
    static let writable = EpollEvents(rawValue: EPOLLOUT.rawValue)
    static let readHangup = EpollEvents(rawValue: EPOLLRDHUP.rawValue)
    static let hangup = EpollEvents(rawValue: EPOLLHUP.rawValue)
    static let error = EpollEvents(rawValue: EPOLLERR.rawValue)
    static let edgeTriggered = EpollEvents(rawValue: EPOLLET.rawValue)
}

/// Thin wrappers over epoll(7), eventfd(2) and friends.
enum Epoll {
    static func create() throws(IOError) -> Int32 {
        try syscallValue("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
    }

    static func add(epfd: Int32, fd: Int32, events: EpollEvents, data: UInt64) throws(IOError) {
        _ = try syscallValue("epoll_ctl(ADD)") { clinux_epoll_ctl(epfd, EPOLL_CTL_ADD, fd, events.rawValue, data) }
    }

    static func remove(epfd: Int32, fd: Int32) {
        _ = clinux_epoll_ctl(epfd, EPOLL_CTL_DEL, fd, 0, 0)
    }
}

enum EventFD {
    static func create() throws(IOError) -> Int32 {
        try syscallValue("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
    }

    static func signal(_ fd: Int32) {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(fd, $0.baseAddress, 8) }
    }

    static func drain(_ fd: Int32) {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { read(fd, $0.baseAddress, 8) }
    }
}
