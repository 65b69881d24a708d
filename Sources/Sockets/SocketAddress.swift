// `sockaddr` and `socklen_t` appear in the public API; CLinux's headers declare them. The fields of
// `sockaddr_in`/`sockaddr_in6` are Glibc's, read in SocketAddress+Family.swift: importing both here
// makes the compiler credit one for the public API and the other for its use.
public import CLinux

/// An IPv4 or IPv6 address and port, held by value: parsed from text once, or read from a socket.
///
/// One place for what listening, connecting and the loopback checks all need, so IPv4, IPv6 and
/// IPv4-mapped IPv6 (`::ffff:127.0.0.1`, how a dual-stack `::` listener sees IPv4 peers) are treated alike.
public struct SocketAddress: @unchecked Sendable {  // a plain C struct of bytes
    private(set) var storage: sockaddr_storage
    private let length: socklen_t

    /// A copy of a `sockaddr` the system handed out (getaddrinfo, getsockname, getpeername).
    public init(copying address: UnsafePointer<sockaddr>, length: socklen_t) {
        var storage = sockaddr_storage()
        let count = min(Int(length), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: address, count: count)) }
        self.storage = storage
        self.length = socklen_t(count)
    }

    /// The local (`getsockname`) or remote (`getpeername`) address of a socket; nil when the call fails.
    static func of(socket fd: Int32, peer: Bool) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress(copying: $0, length: length) }
        }
    }

    /// `AF_INET` or `AF_INET6`.
    public var family: Int32 { Int32(self.storage.ss_family) }

    /// Calls `body` with the address as the `sockaddr` pointer and length the socket calls take.
    public func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var storage = self.storage
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, self.length) }
        }
    }
}
