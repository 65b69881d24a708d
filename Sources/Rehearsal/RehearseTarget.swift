import Foundation
import Sockets
public import TLS

/// Where a rehearsal goes: an `http://` or `https://` server, its host resolved once to the one
/// address every connection uses, so the loopback check and the traffic agree.
public struct RehearseTarget: Sendable {
    /// A URL a rehearsal cannot use; the description names the flag (`--url: …`) and what to give instead.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The host as written in the URL, without IPv6 brackets (sent in `Host` headers, as SNI, and
    /// matched against the server's certificate).
    public let host: String
    /// The numeric IPv4 (or IPv6) address connections go to.
    public let address: String
    public let port: Int
    public let isLoopback: Bool
    /// `https://`: registrations over TLS, the live connections as `wss://`.
    public let isSecure: Bool
    /// The client TLS settings for a secure target (see `RehearseTrust`); nil until set, and for `http://`.
    public var tls: TLSContext?

    /// The `Host` header value.
    public var hostHeader: String { "\(self.host.contains(":") ? "[\(self.host)]" : self.host):\(self.port)" }

    /// Parses `http[s]://host[:port][/]` (port 80 or 443 by default) and resolves the host.
    ///
    /// - Throws: `Failure` for another scheme, a path, or a host that does not resolve.
    public static func parse(_ url: String) throws(Failure) -> RehearseTarget {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let rawHost = components.host, !rawHost.isEmpty
        else {
            throw Failure(description: "--url: \"\(url)\" is not an http:// or https:// URL such as http://127.0.0.1:8080.")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            throw Failure(description: "--url: give the server's root (\(scheme)://host:port), without a path.")
        }
        let isSecure = scheme == "https"
        let port = components.port ?? (isSecure ? 443 : 80)
        guard (1...65535).contains(port) else { throw Failure(description: "--url: port \(port) is out of range.") }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        guard let address = Self.resolve(host) else {
            throw Failure(description: "--url: \"\(host)\" does not resolve to an IPv4 or IPv6 address.")
        }
        return RehearseTarget(
            host: host, address: address, port: port, isLoopback: Self.isLoopback(address), isSecure: isSecure)
    }

    /// Whether a numeric address is loopback: 127.0.0.0/8, `::1`, or an IPv4-mapped 127.x.
    public static func isLoopback(_ address: String) -> Bool {
        (try? SocketAddress(numericHost: address, port: 0))?.isLoopback ?? false
    }

    /// The address `host` resolves to, IPv4 first (the server listens on IPv4 by default): numeric
    /// hosts as they are, `localhost` as 127.0.0.1 whatever the resolver says, other names through
    /// the system resolver (`SocketAddress.lookUp`).
    static func resolve(_ host: String) -> String? {
        (try? SocketAddress.lookUp(host: host, port: 0))?.first?.numericHost
    }
}
