import BackchannelServer
import Foundation
import Logging
import ServerTesting
import Webinar

/// A real server on a free loopback port, with its own data and page folders; with a `databaseURL`
/// it is one node on that PostgreSQL database (several servers on one URL are several nodes).
final class TestServer: Sendable {
    let server: BackchannelServer
    let port: Int
    let directory: URL

    /// - Parameter store: a store prepared by the test (e.g. holding data older code wrote); default SQLite in the folder.
    init(
        databaseURL: String? = nil, store: (any WebinarStore)? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-test-\(UUID().uuidString)")
        let pages = self.directory.appendingPathComponent("static")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        try Data("<!doctype html><title>Backchannel</title>".utf8).write(to: pages.appendingPathComponent("index.html"))
        try Data("body{color:black}".utf8).write(to: pages.appendingPathComponent("app.css"))
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        configuration.dataDirectory = self.directory.appendingPathComponent("data").path
        configuration.staticDirectory = pages.path
        configuration.adminToken = TestSecrets.adminToken
        configuration.databaseURL = databaseURL
        // Tests register crowds from 127.0.0.1; the throttle's own tests (and rehearse's) set the limit.
        configuration.registrationRateLimit = 1_000_000
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        // A server that cannot start leaves nothing behind (tests that expect the failure included).
        let directory = self.directory
        let server: BackchannelServer
        do {
            server = try BackchannelServer(configuration: configuration, logger: logger, store: store)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        do {
            self.port = try server.start()
        } catch {
            server.shutdown(gracePeriod: .zero)
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        self.server = server
    }

    func stop() {
        self.server.shutdown(gracePeriod: .seconds(2))
        try? FileManager.default.removeItem(at: self.directory)
    }
}
