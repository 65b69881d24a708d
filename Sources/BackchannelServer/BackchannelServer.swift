import Foundation
import HTTP1
import Logging
import Sockets

/// The whole server: event loops, routes, pages and endpoints, started and stopped as one.
public final class BackchannelServer: Sendable {
    public let configuration: ServerConfiguration
    private let context: ServerContext
    private let group: EventLoopGroup

    /// Builds everything that can fail before a socket opens (pages, store), so a bad setup
    /// fails at start with a clear message.
    public init(configuration: ServerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        let group = try EventLoopGroup(
            threads: configuration.threads, maxOutboundBytes: configuration.maxBacklogBytes, logger: logger)
        self.group = group
        let metrics = ServerMetrics()
        let staticFiles = try StaticFiles(root: configuration.staticDirectory)
        var router = Router<Route>()
        Routes.addBasics(to: &router, configuration: configuration, metrics: metrics, group: group)
        self.context = ServerContext(
            configuration: configuration, logger: logger, metrics: metrics,
            staticFiles: staticFiles, group: group, router: router)
    }

    /// Opens the port and starts the loops; returns the bound port (the real one when `port` is 0).
    public func start() throws -> Int {
        EventLoopGroup.raiseFileDescriptorLimit()
        let context = self.context
        let port = try self.group.bind(host: self.configuration.host, port: self.configuration.port) { connection in
            HTTPConnectionHandler(app: context, connection: connection)
        }
        self.group.start()
        return port
    }

    /// Stops accepting, closes every WebSocket with 1001, flushes, and returns within the grace period.
    public func shutdown(gracePeriod: Duration = .seconds(4)) {
        self.group.shutdown(gracePeriod: gracePeriod)
    }
}
