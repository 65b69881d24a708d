import Foundation
import HTTP1
import Synchronization

/// Which web pages may act through a visitor's browser: the server's own origin, as configured, and
/// `origins.allowed`. Browsers send `Origin` on every cross-site request that changes something and
/// on every WebSocket upgrade, so a refused origin is a page on another site (CSRF, cross-site
/// WebSocket hijacking); clients that send no `Origin` (curl, scripts, `rehearse`) are not browsers
/// acting for someone else and pass.
///
/// The own origin is `public.url` when set, else the listen address with the bound port (a wildcard
/// address, 0.0.0.0 or ::, stands for loopback only: set `public.url` to the name people use). It is
/// never taken from the request's `Host` header, which a DNS-rebinding page controls. A TLS listener
/// accepts `https://` origins only, even from `origins.allowed`.
final class OriginPolicy: Sendable {
    private let tls: Bool
    private let publicOrigin: String?
    private let extra: Set<String>
    /// Filled in once the port is bound (`listening(port:)`), when there is no `public.url`.
    private let listenOrigins = Mutex<Set<String>>([])
    private let host: String

    init(configuration: ServerConfiguration) {
        let tls = configuration.tlsCertificateFile != nil
        self.tls = tls
        self.host = configuration.host
        self.publicOrigin = configuration.publicURL.flatMap(Self.origin)
        self.extra = Set(configuration.allowedOrigins.compactMap(Self.origin).filter { !tls || $0.hasPrefix("https://") })
    }

    /// Learns the bound port: with no `public.url`, the listen address on it is the own origin.
    func listening(port: Int) {
        guard self.publicOrigin == nil else { return }
        let scheme = self.tls ? "https" : "http"
        let hosts: [String] =
            switch self.host {
            case "0.0.0.0", "::", "", "localhost", "127.0.0.1", "::1": ["localhost", "127.0.0.1", "[::1]"]
            case let address where address.contains(":"): ["[\(address.lowercased())]"]
            case let address: [address]
            }
        let defaultPort = self.tls ? 443 : 80
        let origins = hosts.map { port == defaultPort ? "\(scheme)://\($0)" : "\(scheme)://\($0):\(port)" }
        self.listenOrigins.withLock { $0 = Set(origins) }
    }

    /// The origins a browser page may act from (for the log and for messages).
    var allowed: [String] {
        let own =
            self.publicOrigin.map { self.tls && !$0.hasPrefix("https://") ? [] : [$0] }
            ?? self.listenOrigins.withLock { Array($0) }.sorted()
        return own + self.extra.sorted()
    }

    /// Whether `origin` (an `Origin` header's value) may act here.
    func allows(_ origin: String) -> Bool {
        guard let normalized = Self.origin(origin) else { return false }
        if self.tls && !normalized.hasPrefix("https://") { return false }
        if normalized == self.publicOrigin || self.extra.contains(normalized) { return true }
        return self.publicOrigin == nil && self.listenOrigins.withLock { $0.contains(normalized) }
    }

    /// True when a browser sent this request from a page that may not act here.
    func refuses(_ head: HTTPRequestHead) -> Bool {
        guard let origin = head.headers["Origin"] else { return false }
        return !self.allows(origin)
    }

    /// `scheme://host[:port]` of an http(s) URL, lowercased, without a default port or anything after
    /// the authority; nil for anything else (`null`, other schemes, a URL without a host).
    static func origin(_ text: String) -> String? {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
        let defaultPort = scheme == "https" ? 443 : 80
        guard let port = components.port, port != defaultPort else { return "\(scheme)://\(host)" }
        return "\(scheme)://\(host):\(port)"
    }
}

extension HTTPResponseError {
    static let forbiddenOrigin = HTTPResponseError(
        status: .forbidden, code: "forbidden_origin",
        message: "Pages from this origin may not act on this server; open the page from the server's own address.")
}
