import ArgumentParser
import BackchannelServer
import Configuration
import Dispatch
import Foundation
import Logging

extension BackchannelCommand {
    /// `backchannel serve`: runs the server until SIGINT or SIGTERM.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the server.")

        @Option(help: "Address to listen on, IPv4 or IPv6 (default 127.0.0.1; :: for every address).") var host: String?
        @Option(help: "Port to listen on (default 8080; 0 picks a free one).") var port: Int?
        @Option(help: "Event-loop threads (default: one per core).") var threads: Int?
        @Option(name: .customLong("data-dir"), help: "Where the SQLite database lives (default ./data).") var dataDir: String?
        @Option(name: .customLong("static-dir"), help: "Where the pages are (default ./static).") var staticDir: String?
        @Option(
            name: .customLong("database-url"),
            help: "PostgreSQL URL (postgresql://user@host:port/db): use it instead of SQLite; nodes on it share live rooms.")
        var databaseURL: String?
        @Option(help: "JSON configuration file (default config/backchannel.json, if present).") var config: String?
        @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS and wss://.") var tlsCert: String?
        @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.") var tlsKey: String?
        @Flag(help: "Enable /echo (for the Autobahn suite).") var echo = false
        @Flag(help: "Enable /bench/broadcast (for benchmarks).") var bench = false
        @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical.") var logLevel: String?

        func run() async throws {
            let reader = try await self.makeConfigReader()
            let configuration: ServerConfiguration
            do {
                configuration = try ServerConfiguration(config: reader)
            } catch {
                throw ConfigurationFailure(description: "backchannel: bad configuration: \(error)")
            }
            var logger = Logger(label: "backchannel")
            logger.logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info

            let server: BackchannelServer
            do {
                server = try BackchannelServer(configuration: configuration, logger: logger)
            } catch {
                throw ConfigurationFailure(description: "backchannel: cannot start: \(error)")
            }
            let port: Int
            do {
                port = try server.start()
            } catch {
                throw ConfigurationFailure(description: "backchannel: cannot listen on \(configuration.host):\(configuration.port): \(error)")
            }
            if let token = server.generatedAdminToken {
                logger.notice("admin token (shown once; only its hash is kept in \(configuration.dataDirectory)/admin-token.sha256): \(token)")
            }
            let scheme = configuration.tlsCertificateFile == nil ? "http" : "https"
            let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host  // IPv6 in a URL
            logger.info("listening on \(scheme)://\(host):\(port)")
            await Self.waitForTermination(server: server, logger: logger)
        }

        /// Flags first, then `BACKCHANNEL_*` variables, then the JSON file.
        private func makeConfigReader() async throws -> ConfigReader {
            var values: [AbsoluteConfigKey: ConfigValue] = [:]
            func set(_ key: String, _ value: ConfigContent?) {
                if let value { values[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = .init(value, isSecret: false) }
            }
            set("host", self.host.map { .string($0) })
            set("port", self.port.map { .int($0) })
            set("threads", self.threads.map { .int($0) })
            set("data.dir", self.dataDir.map { .string($0) })
            set("static.dir", self.staticDir.map { .string($0) })
            set("database.url", self.databaseURL.map { .string($0) })
            set("tls.cert.file", self.tlsCert.map { .string($0) })
            set("tls.key.file", self.tlsKey.map { .string($0) })
            set("log.level", self.logLevel.map { .string($0) })
            if self.echo { set("echo", .bool(true)) }
            if self.bench { set("bench", .bool(true)) }

            var providers: [any ConfigProvider] = [
                InMemoryProvider(name: "flags", values: values),
                EnvironmentVariablesProvider(secretsSpecifier: .specific(["BACKCHANNEL_ADMIN_TOKEN", "BACKCHANNEL_DATABASE_URL", "BACKCHANNEL_MAIL_SMTP_URL"]))
                    .prefixKeys(with: "backchannel"),
            ]
            let path = self.config ?? "config/backchannel.json"
            do {
                let fileSettings = ConfigReader(provider: InMemoryProvider(values: [
                    "filePath": .init(.string(path), isSecret: false),
                    "allowMissing": .init(.bool(self.config == nil), isSecret: false),
                ]))
                providers.append(try await FileProvider<JSONSnapshot>(config: fileSettings))
            } catch {
                throw ConfigurationFailure(description: "backchannel: cannot read config file \(path): \(error)")
            }
            return ConfigReader(providers: providers)
        }

        /// Blocks until SIGINT/SIGTERM, then shuts down gracefully (within 5 s). SIGHUP reloads the
        /// TLS certificate and key for new connections (renewals) without dropping live ones.
        private static func waitForTermination(server: BackchannelServer, logger: Logger) async {
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            signal(SIGHUP, SIG_IGN)
            let queue = DispatchQueue(label: "backchannel.signals")
            let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
            hangup.setEventHandler {
                guard server.isSecure else {
                    logger.info("SIGHUP: no TLS certificate to reload")
                    return
                }
                do {
                    try server.reloadCertificates()
                    logger.notice("SIGHUP: TLS certificate and key reloaded; new connections use them")
                } catch {
                    logger.error("SIGHUP: TLS reload failed, keeping the current certificate: \(error)")
                }
            }
            hangup.resume()
            defer { hangup.cancel() }
            let sources = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let once = OnceFlag()
                for source in sources {
                    source.setEventHandler {
                        guard once.claim() else { return }
                        logger.info("shutting down")
                        server.shutdown(gracePeriod: .seconds(4))
                        logger.info("stopped")
                        continuation.resume()
                    }
                    source.resume()
                }
            }
            // A released source drops its handler (and the continuation): keep them to the end.
            withExtendedLifetime(sources) {}
        }
    }
}

/// True exactly once, from any thread.
final class OnceFlag: @unchecked Sendable {
    // Safe: only touched on the serial signal queue.
    private var claimed = false
    func claim() -> Bool {
        if self.claimed { return false }
        self.claimed = true
        return true
    }
}
