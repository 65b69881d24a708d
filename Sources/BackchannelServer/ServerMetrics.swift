import Mail
import Prometheus
import Sockets
import Synchronization

/// What `/metrics` exposes, in Prometheus text format: counters (`_total`), one gauge, and histograms
/// of request duration, comment commit latency and fan-out latency. Each server owns its registry, so
/// several servers in one process (tests) never share counts. docs/metrics.md lists every metric; a
/// test checks that list against what this renders.
final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    let httpRequests: Counter
    let httpErrors: Counter
    let messagesReceived: Counter
    let messagesSent: Counter
    let webSocketsOpened: Counter
    let webSocketsClosed: Counter
    let webSocketProtocolErrors: Counter
    let slowReadersClosed: Counter
    let commentsStored: Counter
    /// Live messages and pings refused by a per-person message rate limit.
    let messagesRateLimited: Counter
    private let authFailures: [AuthFailureLog.Credential: Counter]
    /// From a request's arrival (parsed) to its answer being queued on the socket.
    let requestDuration: DurationHistogram
    /// From a comment's submission to the writer until its batch committed.
    let commentCommitDuration: DurationHistogram
    /// From a room message's publication until a loop has handed it to all its members of the room.
    let fanOutDuration: DurationHistogram

    // The socket layer counts in atomics; these follow them when /metrics is read.
    private let connectionsOpen: Gauge
    private let connectionsAccepted: Counter
    private let bytesRead: Counter
    private let bytesWritten: Counter
    private let acceptErrors: Counter
    private let tlsHandshakesCompleted: Counter
    private let tlsHandshakesFailed: Counter
    private let connectionsRefused: Counter
    // The mail sender counts in atomics too (OutboxSenderStats).
    private let mailQueued: Gauge
    private let mailOldestPending: Gauge
    private let mailSent: Counter
    private let mailFailed: Counter
    private let mailDeferred: Counter
    private let mailConnectionFailures: Counter
    private let totalsRendered = Mutex<[Int]>(Array(repeating: 0, count: 11))

    init() {
        let registry = self.registry
        /// `backchannel_<name>` where `name` ends with its unit (`…_total`, `…_seconds`).
        func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
            let unit = name.split(separator: "_").last.map(String.init) ?? ""
            return MetricNameDescriptor(
                namespace: "backchannel", metricName: String(name.dropLast(unit.count + 1)), unitName: unit, helpText: help)
        }
        func counter(_ name: String, _ help: String) -> Counter { registry.makeCounter(descriptor: descriptor(name, help)) }
        func histogram(_ name: String, _ help: String, _ bucketsMs: [Double]) -> DurationHistogram {
            registry.makeDurationHistogram(descriptor: descriptor(name, help), buckets: bucketsMs.map { .microseconds(Int64($0 * 1000)) })
        }
        self.httpRequests = counter("http_requests_total", "HTTP requests received (a WebSocket upgrade counts as one).")
        self.httpErrors = counter("http_errors_total", "HTTP answers with status 400 or more, and requests refused by the parser.")
        self.messagesReceived = counter("websocket_messages_received_total", "WebSocket messages received from clients.")
        self.messagesSent = counter("websocket_messages_sent_total", "WebSocket messages queued to clients.")
        self.webSocketsOpened = counter("websocket_connections_opened_total", "WebSocket connections opened (upgrades accepted).")
        self.webSocketsClosed = counter("websocket_connections_closed_total", "WebSocket connections closed, for any reason.")
        self.webSocketProtocolErrors = counter(
            "websocket_protocol_errors_total", "WebSocket connections failed for breaking RFC 6455 (closed with 1002, 1007 or 1009).")
        self.slowReadersClosed = counter(
            "websocket_slow_readers_closed_total", "WebSocket clients closed with 1008 for falling websocket.max.backlog.bytes behind.")
        self.commentsStored = counter("comments_stored_total", "Live comments committed to the store by this node.")
        self.messagesRateLimited = counter(
            "live_messages_rate_limited_total", "Live messages and pings refused by a per-person message rate limit.")
        var authFailures: [AuthFailureLog.Credential: Counter] = [:]
        for credential in AuthFailureLog.Credential.allCases {
            authFailures[credential] = registry.makeCounter(
                descriptor: descriptor(
                    "auth_failures_total", "Wrong credentials presented (admin token, host key or ticket code), by kind."),
                labels: [("credential", credential.rawValue)])
        }
        self.authFailures = authFailures
        self.requestDuration = histogram(
            "http_request_duration_seconds", "Time from a request's arrival to its answer being queued.",
            [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000])
        self.commentCommitDuration = histogram(
            "comment_commit_duration_seconds", "Time from a live comment's submission to its commit (group commit).",
            [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000])
        self.fanOutDuration = histogram(
            "fanout_duration_seconds", "Time from a room message's publication until one loop has queued it to its members.",
            [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000])
        self.connectionsOpen = registry.makeGauge(descriptor: descriptor("connections_open", "TCP connections open now."))
        self.connectionsAccepted = counter("connections_accepted_total", "TCP connections accepted.")
        self.bytesRead = counter("bytes_read_total", "Bytes read from sockets (TLS: ciphertext).")
        self.bytesWritten = counter("bytes_written_total", "Bytes written to sockets (TLS: ciphertext).")
        self.acceptErrors = counter("accept_errors_total", "accept(2) failures other than EAGAIN (e.g. out of file descriptors).")
        self.tlsHandshakesCompleted = counter("tls_handshakes_completed_total", "TLS handshakes completed (HTTPS and wss://).")
        self.tlsHandshakesFailed = counter(
            "tls_handshakes_failed_total", "TLS handshakes refused (not TLS, no shared version or cipher) or timed out.")
        self.connectionsRefused = counter(
            "connections_refused_total",
            "Connections closed at once for exceeding http.max.connections or http.max.connections.per.address.")
        self.mailQueued = registry.makeGauge(
            descriptor: descriptor("mail_queued", "Messages in the outbox not yet sent nor failed, as the sender last saw it."))
        self.mailOldestPending = registry.makeGauge(
            descriptor: descriptor("mail_oldest_pending_age_seconds", "Age of the oldest message waiting in the outbox."))
        self.mailSent = counter("mail_sent_total", "Messages this node handed to the mail server (or wrote as .eml files).")
        self.mailFailed = counter("mail_failed_total", "Messages refused for good (5xx, or retries exhausted).")
        self.mailDeferred = counter("mail_deferred_total", "Attempts answered with a temporary failure (4xx), retried later.")
        self.mailConnectionFailures = counter(
            "mail_connection_failures_total", "Times the mail server could not be reached or the session broke.")
    }

    func authFailed(_ credential: AuthFailureLog.Credential) {
        self.authFailures[credential]?.increment()
    }

    /// The whole registry in the text exposition format, with the socket and mail counters brought up
    /// to date (`mail_queued` and the oldest pending age are the whole outbox's, as the sender last saw
    /// it; the totals are this node's since it started).
    func render(stats: SocketStats, mail: OutboxSenderStats) -> [UInt8] {
        self.connectionsOpen.set(Int64(stats.connectionsOpen.load(ordering: .relaxed)))
        self.mailQueued.set(Int64(mail.queued.load(ordering: .relaxed)))
        self.mailOldestPending.set(Int64(mail.oldestPendingSeconds.load(ordering: .relaxed)))
        let totals = [
            stats.connectionsAccepted.load(ordering: .relaxed), stats.bytesRead.load(ordering: .relaxed),
            stats.bytesWritten.load(ordering: .relaxed), stats.acceptErrors.load(ordering: .relaxed),
            stats.tlsHandshakesCompleted.load(ordering: .relaxed), stats.tlsHandshakesFailed.load(ordering: .relaxed),
            stats.connectionsRefused.load(ordering: .relaxed), mail.sent.load(ordering: .relaxed),
            mail.failed.load(ordering: .relaxed), mail.deferred.load(ordering: .relaxed),
            mail.connectionFailures.load(ordering: .relaxed),
        ]
        let counters = [
            self.connectionsAccepted, self.bytesRead, self.bytesWritten, self.acceptErrors, self.tlsHandshakesCompleted,
            self.tlsHandshakesFailed, self.connectionsRefused, self.mailSent, self.mailFailed, self.mailDeferred,
            self.mailConnectionFailures,
        ]
        self.totalsRendered.withLock { rendered in
            for index in totals.indices where totals[index] > rendered[index] {
                counters[index].increment(by: Int64(totals[index] - rendered[index]))
                rendered[index] = totals[index]
            }
        }
        return self.registry.emitToBuffer()
    }
}
