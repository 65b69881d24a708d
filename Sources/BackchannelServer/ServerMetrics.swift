import CoreMetrics
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
    /// Live messages and pings refused by a per-person message rate limit.
    let messagesRateLimited: CoreMetrics.Counter
    private let connectionsOpen: CoreMetrics.Gauge
    private let connectionsAccepted: CoreMetrics.Gauge
    private let bytesRead: CoreMetrics.Gauge
    private let bytesWritten: CoreMetrics.Gauge
    private let acceptErrors: CoreMetrics.Gauge
    private let connectionsRefused: CoreMetrics.Gauge

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
        self.messagesRateLimited = counter("live_messages_rate_limited_total")
        self.connectionsOpen = gauge("connections_open")
        self.connectionsAccepted = gauge("connections_accepted_total")
        self.bytesRead = gauge("bytes_read_total")
        self.bytesWritten = gauge("bytes_written_total")
        self.acceptErrors = gauge("accept_errors_total")
        self.connectionsRefused = gauge("connections_refused_total")
    }

    /// The whole registry in the text exposition format, with the socket counters read now.
    func render(stats: SocketStats) -> [UInt8] {
        self.connectionsOpen.record(stats.connectionsOpen.load(ordering: .relaxed))
        self.connectionsAccepted.record(stats.connectionsAccepted.load(ordering: .relaxed))
        self.bytesRead.record(stats.bytesRead.load(ordering: .relaxed))
        self.bytesWritten.record(stats.bytesWritten.load(ordering: .relaxed))
        self.acceptErrors.record(stats.acceptErrors.load(ordering: .relaxed))
        self.connectionsRefused.record(stats.connectionsRefused.load(ordering: .relaxed))
        return self.registry.emitToBuffer()
    }
}
