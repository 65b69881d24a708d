import CLinux

#if canImport(Glibc)
import Glibc
#endif

/// The part of a peer's address that names one client for connection caps: the whole IPv4
/// address (also when it arrives IPv4-mapped on a dual-stack listener), or the /64 prefix of an
/// IPv6 address, since one IPv6 host usually holds a whole /64 and could otherwise pick a fresh
/// address for every connection.
public struct PeerKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    /// The key of an accepted peer's `sockaddr`; nil for families other than IPv4 and IPv6.
    init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            self.init(ipv4: UInt32(bigEndian: v4))
        case AF_INET6:
            let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
            }
            let mapped = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
            if mapped {
                self.init(ipv4: bytes[12...15].reduce(0) { $0 << 8 | UInt32($1) })
            } else {
                self.init(high: bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }, low: 0)
            }
        default:
            return nil
        }
    }

    /// The key of a numeric address as text (`203.0.113.7`, `2001:db8::1`, `::ffff:10.0.0.7`); nil
    /// for anything else.
    public init?(numericHost host: String) {
        var v4 = in_addr()
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET, host, &v4) == 1 {
            self.init(ipv4: UInt32(bigEndian: v4.s_addr))
        } else if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            guard
                let key = withUnsafePointer(
                    to: &v6,
                    {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { PeerKey($0) }
                    })
            else { return nil }
            self = key
        } else {
            return nil
        }
    }

    init(ipv4: UInt32) {
        self.init(high: 0, low: 0xffff_0000_0000 | UInt64(ipv4))
    }

    private init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The key as an operator reads it in the log: `10.0.0.7`, or `2001:db8:1:2::/64`.
    public var text: String {
        if self.high == 0 && self.low >> 32 == 0xffff {
            let v4 = UInt32(truncatingIfNeeded: self.low)
            return "\(v4 >> 24).\(v4 >> 16 & 0xff).\(v4 >> 8 & 0xff).\(v4 & 0xff)"
        }
        let groups = (0..<4).map { String(self.high >> (48 - 16 * $0) & 0xffff, radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
