import Configuration
import Foundation

/// Everything `serve` can be told, with the defaults a fresh machine runs on.
///
/// ## Configuration keys
/// Read from flags, then `BACKCHANNEL_*` environment variables, then `config/backchannel.json`
/// (a key `a.b` is `{"a": {"b": …}}` in JSON and `BACKCHANNEL_A_B` in the environment):
/// - `host` (string, default `127.0.0.1`), `port` (int, default 8080), `threads` (int, default: cores)
/// - `data.dir` (string, default `./data`): where the SQLite database lives
/// - `database.url` (string, secret): a `postgresql://` URL; when set, the store is that PostgreSQL
///   database instead of SQLite, and every node on it shares live traffic (LISTEN/NOTIFY)
/// - `static.dir` (string, default `./static`): the pages
/// - `admin.token` (string, secret): when unset, `serve` generates one and prints it once
/// - `echo` / `bench` (bool, default false): test endpoints `/echo` and `/bench/broadcast`
/// - `http.max.body.bytes` (int, default 1 MiB), `http.idle.timeout.seconds` (default 30),
///   `http.request.timeout.seconds` (default 10)
/// - `websocket.max.message.bytes` (int, default 64 KiB; `/echo` uses 16 MiB),
///   `websocket.ping.interval.seconds` (default 30), `websocket.max.backlog.bytes` (default 4 MiB)
/// - `origins.allowed` (string array): browser origins allowed on the live endpoint besides the server's own
/// - `deflate.enabled` (bool, default true)
/// - `live.join.timeout.seconds` (int, default 10): a live connection must `join` within this
/// - `live.rate.limit.comments` / `live.rate.limit.window.seconds` (default 5 per 10 s): per-attendee comment rate
/// - `tls.cert.file`, `tls.key.file` (strings): serve HTTPS and wss:// on the port
/// - `mail.smtp.url` (string, secret): `smtp://user:password@host:587` (STARTTLS) or `smtps://…:465`;
///   unset: every message is written as an `.eml` file under `<data.dir>/outbox/` instead
/// - `mail.from` (string): `Name <address>` or `address`, the sender of every message (required with SMTP)
/// - `public.url` (string): the base of every link in a message, e.g. `https://events.example.org`
///   (required with SMTP; default `http://<host>:<port>` for the `.eml` files)
/// - `mail.reminder.minutes` (int, default 60; 0 turns reminders off), `mail.retry.seconds` (default 30:
///   the first wait after a deferred message, doubling), `mail.tls.ca.file` (PEM trusted besides the
///   system store for the mail server's certificate)
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
    public var maxMessageBytes = 64 << 10
    public var pingIntervalSeconds = 30
    public var maxBacklogBytes = 4 << 20
    public var allowedOrigins: [String] = []
    public var deflateEnabled = true
    public var joinTimeoutSeconds = 10
    public var commentRateLimit = 5
    public var commentRateWindowSeconds = 10
    public var tlsCertificateFile: String? = nil
    public var tlsKeyFile: String? = nil
    public var mailSMTPURL: String? = nil
    public var mailFrom: String? = nil
    public var publicURL: String? = nil
    public var mailReminderMinutes = 60
    public var mailRetrySeconds = 30.0
    public var mailCAFile: String? = nil

    public init() {}

    public init(config: ConfigReader) throws(ConfigurationError) {
        self.host = config.string(forKey: "host", default: self.host)
        self.port = config.int(forKey: "port", default: self.port)
        self.threads = config.int(forKey: "threads")
        self.dataDirectory = config.string(forKey: "data.dir", default: self.dataDirectory)
        self.databaseURL = config.string(forKey: "database.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        self.staticDirectory = config.string(forKey: "static.dir", default: self.staticDirectory)
        self.adminToken = config.string(forKey: "admin.token", isSecret: true)
        self.echoEnabled = config.bool(forKey: "echo", default: false)
        self.benchEnabled = config.bool(forKey: "bench", default: false)
        self.maxBodyBytes = config.int(forKey: "http.max.body.bytes", default: self.maxBodyBytes)
        self.idleTimeoutSeconds = config.int(forKey: "http.idle.timeout.seconds", default: self.idleTimeoutSeconds)
        self.requestTimeoutSeconds = config.int(
            forKey: "http.request.timeout.seconds", default: self.requestTimeoutSeconds)
        self.maxMessageBytes = config.int(forKey: "websocket.max.message.bytes", default: self.maxMessageBytes)
        self.pingIntervalSeconds = config.int(
            forKey: "websocket.ping.interval.seconds", default: self.pingIntervalSeconds)
        self.maxBacklogBytes = config.int(forKey: "websocket.max.backlog.bytes", default: self.maxBacklogBytes)
        self.allowedOrigins = config.stringArray(forKey: "origins.allowed", default: [])
        self.deflateEnabled = config.bool(forKey: "deflate.enabled", default: true)
        self.joinTimeoutSeconds = config.int(forKey: "live.join.timeout.seconds", default: self.joinTimeoutSeconds)
        self.commentRateLimit = config.int(forKey: "live.rate.limit.comments", default: self.commentRateLimit)
        self.commentRateWindowSeconds = config.int(
            forKey: "live.rate.limit.window.seconds", default: self.commentRateWindowSeconds)
        self.tlsCertificateFile = config.string(forKey: "tls.cert.file")
        self.tlsKeyFile = config.string(forKey: "tls.key.file")
        self.mailSMTPURL = config.string(forKey: "mail.smtp.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        self.mailFrom = config.string(forKey: "mail.from").flatMap { $0.isEmpty ? nil : $0 }
        self.publicURL = config.string(forKey: "public.url").flatMap { $0.isEmpty ? nil : $0 }
        self.mailReminderMinutes = config.int(forKey: "mail.reminder.minutes", default: self.mailReminderMinutes)
        self.mailRetrySeconds = config.double(forKey: "mail.retry.seconds", default: self.mailRetrySeconds)
        self.mailCAFile = config.string(forKey: "mail.tls.ca.file")
        try self.validate()
    }

    /// Rejects values that cannot work, with a message that names the key.
    public func validate() throws(ConfigurationError) {
        guard (0...65535).contains(self.port) else { throw ConfigurationError("port must be 0…65535, got \(self.port)") }
        if let threads, !(1...256).contains(threads) {
            throw ConfigurationError("threads must be 1…256, got \(threads)")
        }
        guard self.maxBodyBytes >= 1024 else { throw ConfigurationError("http.max.body.bytes must be at least 1024") }
        guard self.maxMessageBytes >= 125 else {
            throw ConfigurationError("websocket.max.message.bytes must be at least 125")
        }
        guard self.idleTimeoutSeconds > 0, self.requestTimeoutSeconds > 0, self.pingIntervalSeconds > 0 else {
            throw ConfigurationError("timeouts must be positive")
        }
        guard self.commentRateLimit >= 1, self.commentRateWindowSeconds >= 1, self.joinTimeoutSeconds >= 1 else {
            throw ConfigurationError("live.rate.limit.* and live.join.timeout.seconds must be at least 1")
        }
        guard self.maxBacklogBytes >= 64 << 10 else {
            throw ConfigurationError("websocket.max.backlog.bytes must be at least 65536")
        }
        if let url = self.databaseURL, !Self.isPostgresURL(url) {
            throw ConfigurationError("database.url must be a postgresql:// URL, e.g. postgresql://user@host:5432/backchannel")
        }
        if (self.tlsCertificateFile == nil) != (self.tlsKeyFile == nil) {
            throw ConfigurationError("tls.cert.file and tls.key.file go together: set both or neither")
        }
        try self.validateMail()
    }
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
