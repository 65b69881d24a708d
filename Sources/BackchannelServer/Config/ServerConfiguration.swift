import Foundation
public import Logging

/// Everything `serve` can be told, with the defaults a fresh machine runs on.
///
/// Every key, its type and its rule are in `ServerConfiguration.keys` (one line each); `load`
/// reads them from flags, then `BACKCHANNEL_*` environment variables, then `config/backchannel.json`
/// (a key `a.b` is `{"a": {"b": …}}` in JSON and `BACKCHANNEL_A_B` in the environment). README's
/// Configuration table says what each one does.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var threads: Int? = nil
    public var dataDirectory = "./data"
    public var databaseURL: String? = nil
    public var staticDirectory = "./static"
    public var adminToken: String? = nil
    public var echoEnabled = false
    public var benchEnabled = false
    public var maxBodyBytes = 1 << 20
    public var idleTimeoutSeconds = 30
    public var requestTimeoutSeconds = 10
    /// nil: the descriptor limit minus a reserve (see `EventLoopGroup`).
    public var maxConnections: Int? = nil
    /// 0: no cap.
    public var maxConnectionsPerAddress = 64
    public var maxMessageBytes = 64 << 10
    public var pingIntervalSeconds = 30
    public var maxBacklogBytes = 4 << 20
    public var allowedOrigins: [String] = []
    /// Reverse proxies (CIDR blocks) whose `X-Forwarded-For` names the client; none by default.
    public var trustedProxies: [String] = []
    /// New registrations (and ticket-link requests) per client address per window, without a host key.
    public var registrationRateLimit = 10
    public var registrationRateWindowSeconds = 60
    public var deflateEnabled = true
    public var joinTimeoutSeconds = 10
    public var commentRateLimit = 5
    public var commentRateWindowSeconds = 10
    public var messageRateLimit = 60
    public var messageRateWindowSeconds = 10
    public var writerMaxQueue = 10_000
    public var tlsCertificateFile: String? = nil
    public var tlsKeyFile: String? = nil
    public var logLevel = Logger.Level.info
    public var logFormat = LogFormat.text
    public var mailSMTPURL: String? = nil
    public var mailFrom: String? = nil
    public var publicURL: String? = nil
    public var mailReminderMinutes = 60
    public var mailRetrySeconds = 30.0
    public var mailCAFile: String? = nil

    public init() {}

    /// Rejects values that cannot work, with a message that names the key: each key's own rule, then
    /// the rules that tie keys together.
    public func validate() throws(ConfigurationError) {
        for key in Self.keys {
            if let problem = key.check(self) { throw ConfigurationError("\(key.name): \(problem)") }
        }
        if (self.tlsCertificateFile == nil) != (self.tlsKeyFile == nil) {
            throw ConfigurationError("tls.cert.file and tls.key.file go together: set both or neither")
        }
        _ = try TrustedProxies(self.trustedProxies)
        try self.validateMail()
    }
}

/// How log lines are written: `text` for people, `json` (one object per line) for machines.
public enum LogFormat: String, Sendable {
    case text, json
}

extension ServerConfiguration {
    /// `postgresql://…` or `postgres://…`: the URL form libpq takes.
    public static func isPostgresURL(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return false }
        return scheme == "postgresql" || scheme == "postgres"
    }
}

/// A configuration value that cannot work; `serve` prints it and exits with status 2.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
