import ArgumentParser
import BackchannelServer
import Foundation
import Logging
import Sockets

extension BackchannelCommand {
    /// `backchannel serve`: runs the server until SIGINT or SIGTERM.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the server.")

        // Every value goes through the configuration keys' rules (the same as for the file and the
        // environment), so options are plain text here, and a value may start with "-" (`--port -1`
        // is then "out of range", not "missing value").
        @Option(parsing: .unconditional, help: "Address to listen on, IPv4 or IPv6 (default 127.0.0.1; :: for every address).")
        var host: String?
        @Option(parsing: .unconditional, help: "Port to listen on, 0–65535 (default 8080; 0 picks a free one).") var port: String?
        @Option(parsing: .unconditional, help: "Event-loop threads, 1–256 (default: one per core).") var threads: String?
        @Option(
            name: .customLong("data-dir"), parsing: .unconditional,
            help: "Where the SQLite database and the admin token hash live (default ./data).")
        var dataDir: String?
        @Option(name: .customLong("static-dir"), parsing: .unconditional, help: "Where the pages are (default ./static).")
        var staticDir: String?
        @Option(
            name: .customLong("database-url"), parsing: .unconditional,
            help: "PostgreSQL URL (postgresql://user@host:port/db): use it instead of SQLite; nodes on it share live rooms.")
        var databaseURL: String?
        @Option(parsing: .unconditional, help: "JSON configuration file (default config/backchannel.json, if present).")
        var config: String?
        @Option(name: .customLong("tls-cert"), parsing: .unconditional, help: "PEM certificate chain: serve HTTPS and wss://.")
        var tlsCert: String?
        @Option(name: .customLong("tls-key"), parsing: .unconditional, help: "PEM private key for --tls-cert.") var tlsKey: String?
        @Flag(help: "Enable /echo (for the Autobahn suite).") var echo = false
        @Flag(help: "Enable /bench/broadcast (for benchmarks).") var bench = false
        @Option(
            name: .customLong("log-level"), parsing: .unconditional, help: "trace, debug, info (default), notice, warning, error, critical."
        )
        var logLevel: String?
        @Option(name: .customLong("log-format"), parsing: .unconditional, help: "text (default, for people) or json (one object per line).")
        var logFormat: String?

        func run() async throws {
            let configuration: ServerConfiguration
            let warnings: [String]
            do {
                let sources = ServerConfiguration.Sources(
                    file: try ServerConfiguration.readFile(path: self.config),
                    environment: ProcessInfo.processInfo.environment, flags: self.flagValues)
                (configuration, warnings) = try ServerConfiguration.load(sources)
            } catch {
                let lines = error.description.split(separator: "\n")
                throw ConfigurationFailure(
                    description: lines.count == 1
                        ? "bad configuration: \(error)"
                        : "bad configuration:\n" + lines.map { "  - \($0)" }.joined(separator: "\n"))
            }
            let format = configuration.logFormat
            LoggingSystem.bootstrap { _ in LogLineHandler(format: format) }
            var logger = Logger(label: "backchannel")
            logger.logLevel = configuration.logLevel
            for warning in warnings { logger.warning("\(warning)") }

            let server: BackchannelServer
            do {
                server = try BackchannelServer(configuration: configuration, logger: logger)
            } catch {
                throw ConfigurationFailure(description: "cannot start: \(error)")
            }
            let port: Int
            do {
                port = try server.start()
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                throw ConfigurationFailure(
                    description: """
                        port \(configuration.port) on \(configuration.host) is already in use (by another \
                        backchannel serve or another program); stop that one, or choose another port with --port.
                        """)
            } catch {
                throw ConfigurationFailure(description: "cannot listen on \(configuration.host):\(configuration.port): \(error)")
            }
            let tokenFile = AdminToken.path(dataDirectory: configuration.dataDirectory)
            switch server.adminTokenSource {
            case .generated(let token):
                logger.notice("admin token (shown once; only its hash is kept, in \(tokenFile)): \(token)")
            case .kept:
                logger.notice(
                    "admin token: kept from the first start (its hash is in \(tokenFile)); set BACKCHANNEL_ADMIN_TOKEN or run `backchannel admin-token reset` to replace it"
                )
            case .configured:
                logger.info("admin token: from admin.token (BACKCHANNEL_ADMIN_TOKEN)")
            }
            let scheme = configuration.tlsCertificateFile == nil ? "http" : "https"
            let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host  // IPv6 in a URL
            // Watch for SIGTERM before saying we listen: whoever reads that line may stop us at once.
            let signals = ServeSignals.watch(server: server, logger: logger)
            logger.notice("listening on \(scheme)://\(host):\(port)")
            await signals.stopped()
        }

        /// The flags given, with the configuration key each one sets.
        private var flagValues: [(flag: String, key: String, value: String)] {
            let given: [(String, String, String?)] = [
                ("--host", "host", self.host),
                ("--port", "port", self.port),
                ("--threads", "threads", self.threads),
                ("--data-dir", "data.dir", self.dataDir),
                ("--static-dir", "static.dir", self.staticDir),
                ("--database-url", "database.url", self.databaseURL),
                ("--tls-cert", "tls.cert.file", self.tlsCert),
                ("--tls-key", "tls.key.file", self.tlsKey),
                ("--log-level", "log.level", self.logLevel),
                ("--log-format", "log.format", self.logFormat),
                ("--echo", "echo", self.echo ? "true" : nil),
                ("--bench", "bench", self.bench ? "true" : nil),
            ]
            return given.compactMap { flag, key, value in value.map { (flag, key, $0) } }
        }
    }
}
