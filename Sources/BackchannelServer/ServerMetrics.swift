import CoreMetrics
import Mail
import Prometheus
import Sockets

private typealias Counter = CoreMetrics.Counter
private typealias Gauge = CoreMetrics.Gauge

/// The counters `/metrics` exposes, in Prometheus text format. Each server owns its registry, so
/// several servers in one process (tests) never share counts.
final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    let httpRequests: CoreMetrics.Counter
    let httpErrors: CoreMetrics.Counter
    let messagesReceived: CoreMetrics.Counter
    let messagesSent: CoreMetrics.Counter
    let webSocketsOpened: CoreMetrics.Counter
    let webSocketsClosed: CoreMetrics.Counter
    let webSocketProtocolErrors: CoreMetrics.Counter
    let slowReadersClosed: CoreMetrics.Counter
    let commentsStored: CoreMetrics.Counter
    private let connectionsOpen: CoreMetrics.Gauge
    private let connectionsAccepted: CoreMetrics.Gauge
    private let bytesRead: CoreMetrics.Gauge
    private let bytesWritten: CoreMetrics.Gauge
    private let acceptErrors: CoreMetrics.Gauge
    private let mailQueued: CoreMetrics.Gauge
    private let mailOldestPending: CoreMetrics.Gauge
    private let mailSent: CoreMetrics.Gauge
    private let mailFailed: CoreMetrics.Gauge
    private let mailDeferred: CoreMetrics.Gauge
    private let mailConnectionFailures: CoreMetrics.Gauge

    init() {
        let factory = PrometheusMetricsFactory(registry: self.registry)
        func counter(_ name: String) -> Counter { Counter(label: "backchannel_" + name, factory: factory) }
        func gauge(_ name: String) -> Gauge { Gauge(label: "backchannel_" + name, factory: factory) }
        self.httpRequests = counter("http_requests_total")
        self.httpErrors = counter("http_errors_total")
        self.messagesReceived = counter("websocket_messages_received_total")
        self.messagesSent = counter("websocket_messages_sent_total")
        self.webSocketsOpened = counter("websocket_connections_opened_total")
        self.webSocketsClosed = counter("websocket_connections_closed_total")
        self.webSocketProtocolErrors = counter("websocket_protocol_errors_total")
        self.slowReadersClosed = counter("websocket_slow_readers_closed_total")
        self.commentsStored = counter("comments_stored_total")
        self.connectionsOpen = gauge("connections_open")
        self.connectionsAccepted = gauge("connections_accepted_total")
        self.bytesRead = gauge("bytes_read_total")
        self.bytesWritten = gauge("bytes_written_total")
        self.acceptErrors = gauge("accept_errors_total")
        self.mailQueued = gauge("mail_queued")
        self.mailOldestPending = gauge("mail_oldest_pending_age_seconds")
        self.mailSent = gauge("mail_sent_total")
        self.mailFailed = gauge("mail_failed_total")
        self.mailDeferred = gauge("mail_deferred_total")
        self.mailConnectionFailures = gauge("mail_connection_failures_total")
    }

    /// The whole registry in the text exposition format, with the socket and mail counters read now
    /// (`mail_queued` and the oldest pending age are the whole outbox's, as the sender last saw it;
    /// the totals are this node's since it started).
    func render(stats: SocketStats, mail: OutboxSenderStats) -> [UInt8] {
        self.mailQueued.record(mail.queued.load(ordering: .relaxed))
        self.mailOldestPending.record(mail.oldestPendingSeconds.load(ordering: .relaxed))
        self.mailSent.record(mail.sent.load(ordering: .relaxed))
        self.mailFailed.record(mail.failed.load(ordering: .relaxed))
        self.mailDeferred.record(mail.deferred.load(ordering: .relaxed))
        self.mailConnectionFailures.record(mail.connectionFailures.load(ordering: .relaxed))
        self.connectionsOpen.record(stats.connectionsOpen.load(ordering: .relaxed))
        self.connectionsAccepted.record(stats.connectionsAccepted.load(ordering: .relaxed))
        self.bytesRead.record(stats.bytesRead.load(ordering: .relaxed))
        self.bytesWritten.record(stats.bytesWritten.load(ordering: .relaxed))
        self.acceptErrors.record(stats.acceptErrors.load(ordering: .relaxed))
        return self.registry.emitToBuffer()
    }
}
