import Foundation
import HTTP1
import Logging
import Sockets
import WebSocket

/// What every connection handler shares: configuration, routes, pages, metrics. Immutable after start.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let logger: Logger
    let metrics: ServerMetrics
    let dateCache = HTTPDateCache()
    let staticFiles: StaticFiles
    let parserLimits: HTTPParserLimits
    let group: EventLoopGroup
    let router: Router<Route>

    init(
        configuration: ServerConfiguration,
        logger: Logger,
        metrics: ServerMetrics,
        staticFiles: StaticFiles,
        group: EventLoopGroup,
        router: Router<Route>
    ) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.staticFiles = staticFiles
        self.group = group
        self.router = router
        self.parserLimits = HTTPParserLimits(maxBodyBytes: configuration.maxBodyBytes)
    }

    /// Headers on every answer. Pages get a CSP with no inline script; nothing leaks a ticket
    /// code through the Referer header.
    func addStandardHeaders(_ response: inout HTTPResponse) {
        response.headers.add(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.add(name: "Referrer-Policy", value: "no-referrer")
        if let type = response.headers["Content-Type"], type.hasPrefix("text/html") {
            response.headers.add(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
            response.headers.add(name: "X-Frame-Options", value: "DENY")
        }
    }

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// permessage-deflate for this upgrade, if offered and enabled (filled in by the deflate issue).
    func negotiateDeflate(_ head: HTTPRequestHead) -> NegotiatedDeflate? {
        nil
    }
}

/// The agreed permessage-deflate parameters of one connection.
struct NegotiatedDeflate {
    var responseHeader: String
    var inflater: any WebSocketInflater
}
