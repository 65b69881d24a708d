import Foundation
import Logging

extension ServerConfiguration {
    /// Every configuration key, its type and its rule: one line each, and the only list. The file,
    /// the environment and the flags are all read through it, and a key that is not here is unknown
    /// (an error in the file, with the closest key suggested). Add a key here and a property above.
    public static let keys: [ConfigKey] = [
        .text("host", \.host, rule: Self.ipAddressProblem),
        .integer("port", \.port, 0...65535),
        .integer("threads", \.threads, 1...256),
        .text("data.dir", \.dataDirectory),
        .text("database.url", \.databaseURL, secret: true, rule: Self.postgresURLProblem),
        .text("static.dir", \.staticDirectory),
        .text("admin.token", \.adminToken, secret: true, rule: Self.adminTokenProblem),
        .flag("echo", \.echoEnabled),
        .flag("bench", \.benchEnabled),
        .integer("http.max.body.bytes", \.maxBodyBytes, 1024...(1 << 30)),
        .integer("http.idle.timeout.seconds", \.idleTimeoutSeconds, 1...86_400),
        .integer("http.request.timeout.seconds", \.requestTimeoutSeconds, 1...3600),
        .integer("http.max.connections", \.maxConnections, 1...10_000_000),
        .integer("http.max.connections.per.address", \.maxConnectionsPerAddress, 0...10_000_000),
        .integer("websocket.max.message.bytes", \.maxMessageBytes, 125...(1 << 30)),
        .integer("websocket.ping.interval.seconds", \.pingIntervalSeconds, 1...3600),
        .integer("websocket.max.backlog.bytes", \.maxBacklogBytes, (64 << 10)...(1 << 32)),
        .list("origins.allowed", \.allowedOrigins),
        .list("http.trusted.proxies", \.trustedProxies),
        .integer("registration.rate.limit", \.registrationRateLimit, 1...1_000_000),
        .integer("registration.rate.window.seconds", \.registrationRateWindowSeconds, 1...86_400),
        .flag("deflate.enabled", \.deflateEnabled),
        .integer("live.join.timeout.seconds", \.joinTimeoutSeconds, 1...3600),
        .integer("live.rate.limit.comments", \.commentRateLimit, 1...1_000_000),
        .integer("live.rate.limit.window.seconds", \.commentRateWindowSeconds, 1...86_400),
        .integer("live.rate.limit.messages", \.messageRateLimit, 1...1_000_000),
        .integer("live.rate.limit.messages.window.seconds", \.messageRateWindowSeconds, 1...86_400),
        .integer("live.writer.max.queue", \.writerMaxQueue, 1...10_000_000),
        .text("tls.cert.file", \.tlsCertificateFile),
        .text("tls.key.file", \.tlsKeyFile),
        .choice(
            "log.level", \.logLevel,
            [
                "trace": .trace, "debug": .debug, "info": .info, "notice": .notice, "warning": .warning, "error": .error,
                "critical": .critical,
            ]),
        .choice("log.format", \.logFormat, ["text": .text, "json": .json]),
        .text("mail.smtp.url", \.mailSMTPURL, secret: true, rule: Self.smtpURLProblem),
        .text("mail.from", \.mailFrom, rule: Self.mailboxProblem),
        .text("public.url", \.publicURL, rule: Self.publicURLProblem),
        .integer("mail.reminder.minutes", \.mailReminderMinutes, 0...10080),
        .seconds("mail.retry.seconds", \.mailRetrySeconds, 0.001...86_400),
        .text("mail.tls.ca.file", \.mailCAFile),
    ]

    /// The key called `name`, if there is one.
    public static func key(_ name: String) -> ConfigKey? { self.keys.first { $0.name == name } }

    /// A numeric IPv4 or IPv6 address (what the listener binds; names are never looked up), or `localhost`.
    @Sendable static func ipAddressProblem(_ host: String) -> String? {
        if host == "localhost" { return nil }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 { return nil }
        return "\"\(host)\" is not an IP address; use one such as 127.0.0.1, ::1, 0.0.0.0 (every IPv4 address) or :: (every address)"
    }

    /// An admin token someone could guess or brute-force is refused: 32 characters at least.
    static let adminTokenMinLength = 32

    @Sendable static func adminTokenProblem(_ token: String) -> String? {
        token.count >= Self.adminTokenMinLength
            ? nil
            : "admin.token must be at least \(Self.adminTokenMinLength) characters long; use a long random secret "
                + "(openssl rand -base64 32), or leave it unset and serve makes one"
    }

    @Sendable static func postgresURLProblem(_ url: String) -> String? {
        Self.isPostgresURL(url) ? nil : "must be a postgresql:// URL, e.g. postgresql://user@host:5432/backchannel"
    }
}
