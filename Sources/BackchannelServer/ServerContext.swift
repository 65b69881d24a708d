import Foundation
import HTTP1
import LiveHub
import Logging
import Sockets
import WebSocket
import WebSocketDeflate

/// What every connection handler shares: configuration, routes, pages, metrics. Immutable after start.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let logger: Logger
    let accessLog: AccessLog
    let metrics: ServerMetrics
    let dateCache = HTTPDateCache()
    let staticFiles: StaticFiles
    let parserLimits: HTTPParserLimits
    let group: EventLoopGroup
    let router: Router<Route>
    /// permessage-deflate compressors, one set per loop; nil when `deflateEnabled` is off.
    let compressors: MessageCompressors?
    /// Which browser pages may send requests that change something (and open the live room).
    let origins: OriginPolicy

    init(
        configuration: ServerConfiguration,
        logger: Logger,
        metrics: ServerMetrics,
        staticFiles: StaticFiles,
        group: EventLoopGroup,
        router: Router<Route>,
        compressors: MessageCompressors?,
        origins: OriginPolicy
    ) {
        self.configuration = configuration
        self.logger = logger
        self.accessLog = AccessLog(level: logger.logLevel, format: configuration.logFormat)
        self.metrics = metrics
        self.staticFiles = staticFiles
        self.group = group
        self.router = router
        self.parserLimits = HTTPParserLimits(maxBodyBytes: configuration.maxBodyBytes)
        self.compressors = compressors
        self.origins = origins
    }

    /// Headers on every answer. Pages get a CSP with no inline script; nothing leaks a ticket
    /// code through the Referer header; a TLS listener tells browsers to come back over HTTPS only
    /// (HSTS, a year; not for subdomains, which this server does not answer for).
    func addStandardHeaders(_ response: inout HTTPResponse) {
        response.headers.add(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.add(name: "Referrer-Policy", value: "no-referrer")
        if self.configuration.tlsCertificateFile != nil {
            response.headers.add(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        if let type = response.headers["Content-Type"], type.hasPrefix("text/html") {
            response.headers.add(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
            response.headers.add(name: "X-Frame-Options", value: "DENY")
        }
    }

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// permessage-deflate for this upgrade (RFC 7692 §7.1): the first offer we can honour, when
    /// enabled. A `Sec-WebSocket-Extensions` header that does not parse means no compression.
    func negotiateDeflate(_ head: HTTPRequestHead) -> NegotiatedDeflate? {
        guard let compressors = self.compressors,
            let offers = try? WebSocketExtensionOffer.parse(head.headers),
            let agreement = PerMessageDeflate.negotiate(offers, configuration: compressors.configuration)
        else { return nil }
        return NegotiatedDeflate(agreement: agreement, inflater: DeflateInflater(agreement: agreement))
    }
}

/// The agreed permessage-deflate parameters of one connection.
struct NegotiatedDeflate {
    var agreement: PerMessageDeflateAgreement
    var inflater: any WebSocketInflater
    var responseHeader: String { self.agreement.responseHeader }
}
