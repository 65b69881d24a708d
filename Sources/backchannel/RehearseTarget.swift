import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a rehearsal goes: a plain `http://` server, resolved once to an IPv4 address.
struct RehearseTarget: Sendable {
    /// The host as written in the URL (sent in `Host` headers).
    let host: String
    /// The numeric IPv4 address connections go to.
    let address: String
    let port: Int
    let isLoopback: Bool

    /// The `Host` header value.
    var hostHeader: String { "\(self.host):\(self.port)" }

    /// Parses `http://host[:port][/]` and resolves the host.
    ///
    /// - Throws: `ValidationError` (exit status 2) for another scheme, a path, or a host that does not resolve.
    static func parse(_ url: String) throws -> RehearseTarget {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http",
            let host = components.host, !host.isEmpty
        else {
            throw ValidationError("--url: \"\(url)\" is not an http:// URL such as http://127.0.0.1:8080 (https is not supported yet).")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            throw ValidationError("--url: give the server's root (http://host:port), without a path.")
        }
        let port = components.port ?? 80
        guard (1...65535).contains(port) else { throw ValidationError("--url: port \(port) is out of range.") }
        guard let address = Self.resolve(host) else {
            throw ValidationError("--url: \"\(host)\" does not resolve to an IPv4 address.")
        }
        return RehearseTarget(host: host, address: address, port: port, isLoopback: Self.isLoopback(address))
    }

    /// Whether a dotted IPv4 address is in 127.0.0.0/8.
    static func isLoopback(_ address: String) -> Bool {
        var parsed = in_addr()
        guard inet_pton(AF_INET, address, &parsed) == 1 else { return false }
        return UInt32(bigEndian: parsed.s_addr) >> 24 == 127
    }

    /// The first IPv4 address of `host` (numeric hosts pass straight through).
    static func resolve(_ host: String) -> String? {
        var parsed = in_addr()
        if inet_pton(AF_INET, host, &parsed) == 1 { return host }
        if host == "localhost" { return "127.0.0.1" }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        guard let raw = first.pointee.ai_addr else { return nil }
        var inet = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        guard inet_ntop(AF_INET, &inet, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
