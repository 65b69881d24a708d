import Foundation
import HTTP1
import Logging
import Webinar

/// One structured line per HTTP request and per closed WebSocket, at info level (on by default),
/// in the configured log format:
///
///     … info request method=GET path=/tickets/:code status=200 bytes=2311 ms=0.41 client=127.0.0.1
///     … info websocket closed path=/api/events/launch/live code=1000 by=client ms=61234.5 client=::1
///
/// No query string and no secret is ever written: a route's `:code` (ticket codes) shows as `:code`,
/// and any path segment shaped like one of our secrets as `[secret]`. Lines are formatted here,
/// straight from their fields, and batched on the way out: a request costs no dictionary and no
/// write(2) of its own.
struct AccessLog: Sendable {
    /// Whether lines are written at all (log.level is info or lower).
    let isEnabled: Bool
    private let format: LogFormat
    private let output: LogOutput

    init(level: Logger.Level, format: LogFormat, output: LogOutput = .standardError) {
        self.isEnabled = level <= .info
        self.format = format
        self.output = output
    }

    func request(method: String, path: String, status: Int, bytes: Int, duration: Duration, client: String) {
        guard self.isEnabled else { return }
        self.write(
            "request",
            [
                ("method", .text(method)), ("path", .text(path)), ("status", .integer(status)), ("bytes", .integer(bytes)),
                ("ms", .number(Self.milliseconds(duration))), ("client", .text(client)),
            ])
    }

    /// `by` is who sent the first close frame (`client`, `server`), or `none` when the TCP
    /// connection ended without one (code 1006).
    func webSocketClosed(path: String, code: UInt16, by: String, duration: Duration, client: String) {
        guard self.isEnabled else { return }
        self.write(
            "websocket closed",
            [
                ("path", .text(path)), ("code", .integer(Int(code))), ("by", .text(by)),
                ("ms", .number(Self.milliseconds(duration))), ("client", .text(client)),
            ])
    }

    private func write(_ message: String, _ fields: [(String, LogLine.Value)]) {
        self.output.write(
            LogLine.render(self.format, time: LogLine.timestamp(), level: .info, message: message, fields: fields), urgent: false)
    }

    /// Milliseconds rounded to hundredths.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        let hundredths = seconds * 100_000 + attoseconds / 10_000_000_000_000
        return Double(hundredths) / 100
    }

    /// The path to log for a routed request ("" when the access log is off: nothing to compute).
    func loggedPath(_ path: Substring, _ match: Router<Route>.Match) -> String {
        guard self.isEnabled else { return "" }
        if case .found(_, let parameters) = match { return Self.loggedPath(path, code: parameters["code"]) }
        return Self.loggedPath(path, code: nil)
    }

    /// The path as logged: without the query, with secrets replaced, at most 200 characters.
    ///
    /// - Parameter code: the route's `:code` parameter, when the route has one.
    static func loggedPath(_ path: Substring, code: String?) -> String {
        // Most paths hold nothing to hide: no route code, no "bch_", nothing percent-encoded.
        if code == nil, !path.contains("%"), path.range(of: "bch_") == nil {
            return path.count > 200 ? String(path.prefix(200)) + "…" : String(path)
        }
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
