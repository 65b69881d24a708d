public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback port that this test holds (bound, never listening) so that nothing can listen on it:
/// a connection to it is refused for certain. Tests use it instead of a port they hope is unused.
public final class UnusedPort: Sendable {
    public let port: Int
    private let fd: Int32

    /// Binds a socket of `family` (AF_INET: 127.0.0.1, AF_INET6: ::1) to `port` (0: the kernel picks).
    public init(family: Int32 = AF_INET, port: Int = 0) throws {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket: \(String(cString: strerror(errno)))") }
        var bound = false
        var chosen = 0
        if family == AF_INET6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = in6addr_loopback
            var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            chosen = Int(UInt16(bigEndian: address.sin6_port))
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            chosen = Int(UInt16(bigEndian: address.sin_port))
        }
        guard bound else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw TestSupportError("bind to port \(port): \(message)")
        }
        self.fd = fd
        self.port = chosen
    }

    deinit { close(self.fd) }
}

/// A setup step of a test that could not be done.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
