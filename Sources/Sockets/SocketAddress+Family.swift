import CLinux

#if canImport(Glibc)
import Glibc
#endif

extension SocketAddress {
    public var port: Int {
        self.withFamily(v4: { Int(UInt16(bigEndian: $0.sin_port)) }, v6: { Int(UInt16(bigEndian: $0.sin6_port)) }) ?? 0
    }

    /// 127.0.0.0/8, `::1`, or an IPv4-mapped 127.x.
    public var isLoopback: Bool {
        self.withFamily(
            v4: { UInt32(bigEndian: $0.sin_addr.s_addr) >> 24 == 127 },
            v6: { address in
                withUnsafeBytes(of: address.sin6_addr) { bytes in
                    let loopback6 = bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1
                    let mapped = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
                    return loopback6 || (mapped && bytes[12] == 127)
                }
            }) ?? false
    }

    func withFamily<T>(v4: (sockaddr_in) -> T, v6: (sockaddr_in6) -> T) -> T? {
        var storage = self.storage
        let family = self.family
        return withUnsafePointer(to: &storage) { pointer in
            switch family {
            case AF_INET: pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4($0.pointee) }
            case AF_INET6: pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6($0.pointee) }
            default: nil
            }
        }
    }
}
