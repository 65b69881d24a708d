import HTTP1
import Logging
import Webinar

/// One structured line per HTTP request and per closed WebSocket, at info level (on by default):
///
///     … info request method=GET path=/tickets/:code status=200 bytes=2311 ms=0.41 client=127.0.0.1
///     … info websocket closed path=/api/events/launch/live code=1000 by=client ms=61234.50 client=::1
///
/// No query string and no secret is ever written: a route's `:code` (ticket codes) shows as `:code`,
/// and any path segment shaped like one of our secrets as `[secret]`.
struct AccessLog: Sendable {
    let logger: Logger

    /// Whether lines are written at all (the log level is info or lower).
    var isEnabled: Bool { self.logger.logLevel <= .info }

    /// The path to log for a routed request ("" when the access log is off: nothing to compute).
    func loggedPath(_ path: Substring, _ match: Router<Route>.Match) -> String {
        guard self.isEnabled else { return "" }
        if case .found(_, let parameters) = match { return Self.loggedPath(path, code: parameters["code"]) }
        return Self.loggedPath(path, code: nil)
    }

    func request(method: String, path: String, status: Int, bytes: Int, duration: Duration, client: String) {
        self.logger.info("request", metadata: [
            "method": .string(method), "path": .string(path), "status": .stringConvertible(status),
            "bytes": .stringConvertible(bytes), "ms": .stringConvertible(Self.milliseconds(duration)),
            "client": .string(client),
        ])
    }

    /// `by` is who sent the first close frame (`client`, `server`), or `none` when the TCP
    /// connection ended without one (code 1006).
    func webSocketClosed(path: String, code: UInt16, by: String, duration: Duration, client: String) {
        self.logger.info("websocket closed", metadata: [
            "path": .string(path), "code": .stringConvertible(code), "by": .string(by),
            "ms": .stringConvertible(Self.milliseconds(duration)), "client": .string(client),
        ])
    }

    /// Milliseconds rounded to hundredths, as a number.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + attoseconds / 10_000_000_000_000
        return Double(hundredths) / 100
    }

    /// The path as logged: without the query, with secrets replaced, at most 200 characters.
    ///
    /// - Parameter code: the route's `:code` parameter, when the route has one.
    static func loggedPath(_ path: Substring, code: String?) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            let decoded = segment.contains("%") ? PercentDecoding.decode(segment) ?? String(segment) : String(segment)
            if let code, !code.isEmpty, decoded == code {
                segments.append(":code")
            } else if SecretCode.Kind.allCases.contains(where: { SecretCode.looksLike(decoded, kind: $0) }) {
                segments.append("[secret]")
            } else {
                segments.append(segment)
            }
        }
        let joined = segments.joined(separator: "/")
        return joined.count > 200 ? String(joined.prefix(200)) + "…" : joined
    }
}
