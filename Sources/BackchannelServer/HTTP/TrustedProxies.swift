import Foundation
import Glibc

/// The reverse proxies whose `X-Forwarded-For` is believed (`http.trusted.proxies`, CIDR blocks; none
/// by default). Behind such a proxy every request comes from the proxy's address, so limits per client
/// address need the address the proxy saw; from anyone else the header is a claim anyone can forge.
struct TrustedProxies: Sendable {
    /// One block: an address's bytes (4 or 16) and how many leading bits must match.
    struct Block: Sendable, Equatable {
        let bytes: [UInt8]
        let prefix: Int

        /// `10.0.0.0/8`, `2001:db8::/32`, or a bare address (all its bits); nil for anything else.
        init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let bytes = TrustedProxies.addressBytes(parts[0]) else { return nil }
            let bits = bytes.count * 8
            if parts.count == 2 {
                guard let prefix = Int(parts[1]), (0...bits).contains(prefix) else { return nil }
                self.prefix = prefix
            } else {
                self.prefix = bits
            }
            self.bytes = bytes
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == self.bytes.count else { return false }
            var left = self.prefix
            for index in address.indices where left > 0 {
                let mask: UInt8 = left >= 8 ? 0xff : ~(0xff >> UInt8(left))
                if address[index] & mask != self.bytes[index] & mask { return false }
                left -= 8
            }
            return true
        }
    }

    let blocks: [Block]

    /// No proxy is trusted: the peer is the client.
    static let none = TrustedProxies(blocks: [])

    private init(blocks: [Block]) {
        self.blocks = blocks
    }

    /// Parses every entry; the first that is not a CIDR block or an address is the error.
    init(_ entries: [String]) throws(ConfigurationError) {
        self.blocks = try entries.map { entry throws(ConfigurationError) in
            guard let block = Block(entry) else {
                throw ConfigurationError("http.trusted.proxies: \(entry) is not an address or a CIDR block (like 10.0.0.0/8)")
            }
            return block
        }
    }

    /// The address to limit: `peer` itself, unless `peer` is a trusted proxy and the request carries
    /// `X-Forwarded-For`; then the rightmost address in it that is not a trusted proxy (the leftmost
    /// entries are whatever the client wrote). A malformed entry stops the walk at the proxy's address.
    func client(peer: String, forwardedFor: String?) -> String {
        guard !self.blocks.isEmpty, let forwardedFor, self.isTrusted(peer) else { return peer }
        var client = peer
        for entry in forwardedFor.split(separator: ",").reversed() {
            let address = entry.trimmingCharacters(in: .whitespaces)
            guard Self.addressBytes(address) != nil else { return client }
            client = address
            if !self.isTrusted(address) { return address }
        }
        return client
    }

    func isTrusted(_ address: String) -> Bool {
        guard let bytes = Self.addressBytes(address) else { return false }
        let mapped = Self.unmapped(bytes)
        return self.blocks.contains { $0.contains(bytes) || $0.contains(mapped) }
    }

    /// IPv4 (4 bytes) or IPv6 (16 bytes) from numeric text.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// `::ffff:a.b.c.d` as its 4 IPv4 bytes; anything else unchanged.
    static func unmapped(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count == 16, bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else {
            return bytes
        }
        return Array(bytes[12...15])
    }
}
