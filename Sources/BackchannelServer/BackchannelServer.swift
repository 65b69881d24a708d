public import Foundation
import HTTP1
import LiveHub
import LiveHubPostgres
public import Logging
import Mail
import PostgresStore
import Prometheus
import Sockets
import Store
import Synchronization
import TLS
import WebSocketDeflate
public import Webinar

/// The whole server: event loops, routes, pages, store and endpoints, started and stopped as one.
public final class BackchannelServer: Sendable {
    public let configuration: ServerConfiguration
    /// Where the admin token came from; a freshly generated one is printed once.
    public let adminTokenSource: AdminToken.Source
    private let context: ServerContext
    private let group: EventLoopGroup
    private let executor: StoreExecutor
    /// Set when `tls.cert.file`/`tls.key.file` are configured; `reloadCertificates()` swaps its certificate.
    let tls: TLSContext?
    private let hub: LiveHub
    private let writer: CommentWriter
    private let bus: any LiveBus
    private let registrationWriter: RegistrationWriter
    private let offerExpiry: OfferExpiry
    private let store: any WebinarStore
    private let logger: Logger
    private let origins: OriginPolicy
    /// What the mail sender did, for `/metrics`; the sender itself starts with the server (it needs the port).
    let mailStats = OutboxSenderStats()
    let mailSender = MailSenderSlot()
    private let mailTLS: TLSContext?
    static let storeThreads = 4

    /// Builds everything that can fail before a socket opens (pages, database, secrets), so a bad
    /// setup fails at start with a clear message.
    public init(configuration: ServerConfiguration, logger: Logger, store: (any WebinarStore)? = nil) throws {
        try configuration.validate()
        self.configuration = configuration
        self.tls = try Self.loadTLS(configuration)
        self.mailTLS = try configuration.mailTLSContext()
        let group = try EventLoopGroup(
            threads: configuration.threads, maxOutboundBytes: configuration.maxBacklogBytes,
            connectionLimits: Self.connectionLimits(configuration, logger: logger), logger: logger)
        self.group = group
        let metrics = ServerMetrics()
        let staticFiles = try StaticFiles(root: configuration.staticDirectory)
        let store = try store ?? Self.openStore(configuration)
        self.store = store
        self.logger = logger
        let mailSender = self.mailSender
        let wakeMail: @Sendable () -> Void = { mailSender.current?.wake() }
        let (adminHash, adminTokenSource) = try AdminToken.resolve(
            configured: configuration.adminToken, dataDirectory: configuration.dataDirectory)
        self.adminTokenSource = adminTokenSource
        self.executor = StoreExecutor(threads: Self.storeThreads)
        let clock = LiveClock.system
        let policies = RoomPolicies(
            limits: RoomLimits(
                comments: configuration.commentRateLimit, commentWindowSeconds: configuration.commentRateWindowSeconds,
                messages: configuration.messageRateLimit, messageWindowSeconds: configuration.messageRateWindowSeconds),
            clock: clock)
        self.registrationWriter = RegistrationWriter(store: store, committed: { mailSender.current?.registrationsCommitted() })
        let compressors = configuration.deflateEnabled ? MessageCompressors(group: group, configuration: .init()) : nil
        let messages = LiveMessages(compressors: compressors)
        let hub = LiveHub(
            group: group, presenceFrame: { messages.presence(viewers: $0) }, fanOut: { metrics.fanOutDuration.record($0) },
            sent: { metrics.messagesSent.increment(by: Int64($0)) })
        self.hub = hub
        // Several nodes share a PostgreSQL database, so their rooms share traffic through it.
        let bus: any LiveBus =
            if let postgres = store as? PostgresStore {
                PostgresBus(store: postgres, hub: hub, messages: messages, policies: policies, logger: logger)
            } else {
                LocalBus(hub: hub, messages: messages)
            }
        self.bus = bus
        let authFailures = AuthFailureLog(logger: logger, counted: { metrics.authFailed($0) })
        let api = APIContext(
            store: store, executor: self.executor, registrations: self.registrationWriter, adminTokenHash: adminHash,
            authFailures: authFailures,
            eventChanged: { event in
                policies.eventChanged(event)
                bus.publish(.eventChanged(slug: event.slug), eventId: event.id)
            },
            registrationsChanged: { registrations in
                for registration in registrations {
                    bus.publish(
                        .registrationChanged(authorId: registration.authorId, status: registration.status),
                        eventId: registration.eventId)
                }
            }, mailQueued: wakeMail,
            registrationRate: (configuration.registrationRateLimit, configuration.registrationRateWindowSeconds),
            proxies: (try? TrustedProxies(configuration.trustedProxies)) ?? .none)
        self.offerExpiry = OfferExpiry(logger: logger, now: clock.now) { now in
            let promoted = try store.expireOffers(now: now)
            if !promoted.isEmpty {
                api.registrationsChanged(promoted)
                wakeMail()
            }
            return promoted.count
        }
        self.writer = CommentWriter(store: store, maxQueue: configuration.writerMaxQueue, clock: clock)
        let origins = OriginPolicy(configuration: configuration)
        self.origins = origins
        let live = LiveContext(
            api: api, hub: hub, bus: bus, writer: self.writer, policies: policies, messages: messages,
            metrics: metrics, origins: origins, configuration: configuration)

        var router = Router<Route>()
        Routes.addBasics(
            to: &router, configuration: configuration, metrics: metrics, group: group, adminTokenHash: adminHash,
            authFailures: authFailures, mail: self.mailStats)
        Routes.addPages(to: &router, staticFiles: staticFiles)
        EventsAPI.add(to: &router, api: api)
        RegistrationsAPI.add(to: &router, api: api)
        CommentsAPI.add(to: &router, api: api)
        MailAPI.add(to: &router, api: api)
        CalendarAPI.add(to: &router, api: api, composer: { mailSender.current?.configuration.composer })
        StatsAPI.add(to: &router, api: api, viewers: { hub.viewers(eventId: $0) })
        LiveEndpoint.add(to: &router, live: live)
        self.context = ServerContext(
            configuration: configuration, logger: logger, metrics: metrics,
            staticFiles: staticFiles, group: group, router: router, compressors: compressors, origins: origins)
    }

    /// PostgreSQL when `database.url` is set, else SQLite in `data.dir`.
    private static func openStore(_ configuration: ServerConfiguration) throws -> any WebinarStore {
        if let url = configuration.databaseURL {
            do {
                return try PostgresStore(url: url)
            } catch {
                throw ConfigurationError("cannot open the PostgreSQL database at database.url: \(error)")
            }
        }
        return try SQLiteStore(dataDirectory: URL(fileURLWithPath: configuration.dataDirectory))
    }

    /// `http.max.connections` (by default all the descriptors but a reserve) and the per-address cap.
    /// Raises the soft descriptor limit to the hard one first, so the default is as large as it can be.
    private static func connectionLimits(_ configuration: ServerConfiguration, logger: Logger) -> ConnectionAdmission.Limits {
        let descriptors = EventLoopGroup.raiseFileDescriptorLimit()
        let fitting = descriptors > 0 ? ConnectionAdmission.Limits.defaultMaxConnections(descriptorLimit: descriptors) : 65_536
        if let configured = configuration.maxConnections, descriptors > 0, configured > fitting {
            logger.warning(
                """
                http.max.connections is \(configured), but the descriptor limit (\(descriptors)) leaves room for \(fitting): \
                past that, accepting pauses on EMFILE; raise the limit (ulimit -n) or lower http.max.connections
                """)
        }
        return ConnectionAdmission.Limits(
            maxConnections: configuration.maxConnections ?? fitting, maxPerAddress: configuration.maxConnectionsPerAddress)
    }

    /// Opens the port and starts the loops; returns the bound port (the real one when `port` is 0).
    public func start() throws -> Int {
        let context = self.context
        let configuration = self.configuration
        let port = try self.group.bind(host: configuration.host, port: configuration.port, tls: self.tls) { connection in
            HTTPConnectionHandler(app: context, connection: connection)
        }
        self.group.start()
        self.origins.listening(port: port)
        if configuration.publicURL == nil, ["0.0.0.0", "::"].contains(configuration.host) {
            self.logger.notice(
                """
                listening on every address without public.url: browser pages may only send changes from                 \(self.origins.allowed.joined(separator: ", ")); set public.url to the address people open
                """)
        }
        let sender = OutboxSender(
            store: self.store, configuration: try configuration.mailSenderConfiguration(boundPort: port, tls: self.mailTLS),
            logger: self.logger,
            stats: self.mailStats)
        self.mailSender.current = sender
        sender.start()
        self.offerExpiry.start()
        if case .directory(let folder) = sender.configuration.delivery {
            self.logger.info("mail: no mail.smtp.url, so every message is written to \(folder) as an .eml file")
        } else if let url = configuration.mailSMTPURL.flatMap({ try? SMTPURL($0) }) {
            self.logger.info("mail: sending through \(url)")
        }
        return port
    }

    /// Runs one round of offer expiry as if the clock read `now` (the timer runs one every few
    /// seconds with the real clock); returns how many seats were passed on. For tests and operators.
    @discardableResult
    public func expireOffers(now: Date) -> Int {
        self.offerExpiry.round(now: now)
    }

    /// Stops accepting, closes every WebSocket with 1001, flushes, and returns within the grace period.
    public func shutdown(gracePeriod: Duration = .seconds(4)) {
        self.group.shutdown(gracePeriod: gracePeriod)
        self.hub.stop()
        self.writer.stop()
        self.bus.stop()
        self.registrationWriter.stop()
        self.mailSender.current?.stop()
        self.offerExpiry.stop()
        self.executor.stop()
    }
}

/// The mail sender once the server started (it needs the bound port for its links), shared with the
/// writers that wake it after queueing mail.
final class MailSenderSlot: Sendable {
    private let sender = Mutex<OutboxSender?>(nil)

    var current: OutboxSender? {
        get { self.sender.withLock { $0 } }
        set { self.sender.withLock { $0 = newValue } }
    }
}
