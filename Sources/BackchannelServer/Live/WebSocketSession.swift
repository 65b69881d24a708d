import LiveHub
import Prometheus
import Sockets
import WebSocket
import WebSocketDeflate

/// The WebSocket protocol on one connection after the upgrade: reads frames, answers pings,
/// runs the close handshake, keeps the connection alive with pings, and hands whole messages to
/// its delegate. Owned by the connection's loop.
final class WebSocketSession: ConnectionHandler {
    struct Settings {
        var limits: WebSocketLimits
        var pingIntervalMilliseconds: Int
        /// How long we wait for the peer's close frame after sending ours.
        var closeTimeoutMilliseconds = 2000
    }

    let connection: Connection
    private var reader: WebSocketReader
    private let settings: Settings
    private let metrics: ServerMetrics
    var delegate: (any WebSocketSessionDelegate)?
    /// What this connection agreed to for permessage-deflate (RFC 7692), nil if nothing.
    let deflate: PerMessageDeflateAgreement?
    /// The server's compressors; nil when deflate is switched off.
    let compressors: MessageCompressors?
    private(set) var closeSent = false
    private var pingDue: UInt64 = 0
    private var delegateDue: UInt64 = 0
    private var closeDue: UInt64 = 0
    private var awaitingPong = false
    /// For the access log: where it goes, the upgrade's path, the peer; when the session opened; the
    /// first close frame's code, who sent it and when.
    private let accessLog: (log: AccessLog, path: String, client: String)?
    private let opened = ContinuousClock.now
    private var firstClose: (code: UInt16, by: String, at: ContinuousClock.Instant)?

    init(
        connection: Connection,
        settings: Settings,
        metrics: ServerMetrics,
        deflate: NegotiatedDeflate? = nil,
        compressors: MessageCompressors? = nil,
        delegate: any WebSocketSessionDelegate,
        accessLog: (AccessLog, path: String, client: String)? = nil
    ) {
        self.accessLog = accessLog.map { (log: $0.0, path: $0.path, client: $0.client) }
        self.connection = connection
        self.settings = settings
        self.metrics = metrics
        self.deflate = deflate?.agreement
        self.compressors = compressors
        self.reader = WebSocketReader(role: .server, limits: settings.limits, inflater: deflate?.inflater)
        self.delegate = delegate
    }

    /// Takes over the connection after the 101 response, then reads any bytes that followed the request.
    func start(leftover: UnsafeMutableRawBufferPointer?) {
        self.metrics.webSocketsOpened.increment()
        self.schedulePing()
        self.delegate?.sessionDidOpen(self)
        if let leftover, leftover.count > 0 {
            self.connectionDidRead(self.connection, leftover)
        }
    }

    // MARK: Sending

    /// Queues a prepared frame (encoded once, possibly shared by many sessions). A reader that lets
    /// its backlog pass the bound is closed with 1008; it can come back and resume.
    @discardableResult
    func send(frame: ByteChunk) -> Bool {
        guard self.connection.isOpen, !self.closeSent else { return false }
        if self.connection.write(frame) { return true }
        self.closeSlowReader()
        return false
    }

    /// The reader let its backlog pass the bound: 1008, behind what it already has.
    private func closeSlowReader() {
        self.metrics.slowReadersClosed.increment()
        self.close(code: .policyViolation, reason: "too slow: backlog limit reached", flushFirst: false)
    }

    @discardableResult
    func send(text: [UInt8]) -> Bool {
        self.send(frame: ByteChunk(WebSocketFrameEncoder.frame(.text, payload: text)))
    }

    /// Sends a close frame and waits (briefly) for the peer's; `flushFirst: false` drops the backlog
    /// first, for a reader too slow to ever reach our close frame.
    func close(code: WebSocketCloseCode, reason: String = "", flushFirst: Bool = true) {
        guard !self.closeSent, self.connection.isOpen else { return }
        self.closeSent = true
        self.firstClose = self.firstClose ?? (code.rawValue, "server", .now)
        self.connection.leaveBroadcastGroup()  // nothing may follow the close frame
        if !flushFirst { self.connection.discardQueuedWrites() }
        self.connection.write(WebSocketFrameEncoder.closeFrame(code: code, reason: reason), ignoringLimit: true)
        self.closeDue = self.connection.loop.now + UInt64(self.settings.closeTimeoutMilliseconds)
        self.updateDeadline()
        // A slow reader may never answer our close: stop reading it and let the deadline end it.
        if !flushFirst { self.connection.close(mode: .afterFlush) }
    }

    /// Calls the delegate's `sessionDelegateDeadlinePassed` after `milliseconds`; 0 clears it.
    func setDelegateDeadline(milliseconds: Int) {
        self.delegateDue = milliseconds > 0 ? self.connection.loop.now + UInt64(milliseconds) : 0
        self.updateDeadline()
    }

    // MARK: ConnectionHandler

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        self.awaitingPong = false
        self.schedulePing()
        do {
            try self.reader.read(bytes) { event in self.handle(event) }
        } catch let failure as WebSocketFailure {
            self.metrics.webSocketProtocolErrors.increment()
            self.fail(failure.code, reason: failure.reason)
        } catch {
            self.fail(.internalError, reason: "")
        }
    }

    private func handle(_ event: WebSocketEvent) {
        switch event {
        case .message(let message):
            guard !self.closeSent else { return }
            self.metrics.messagesReceived.increment()
            self.delegate?.session(self, didReceive: message)
        case .ping(let payload):
            guard !self.closeSent, self.delegate?.sessionShouldAnswerPing(self) ?? true else { return }
            // Pongs obey the backlog bound: a peer that pings without reading gets none once it is full.
            self.connection.write(WebSocketFrameEncoder.frame(.pong, payload: payload))
        case .pong:
            return
        case .close(let code, _):
            self.firstClose = self.firstClose ?? (code ?? 1005, "client", .now)
            if !self.closeSent {
                self.closeSent = true
                self.connection.leaveBroadcastGroup()
                let reply = code.map { WebSocketCloseCode(rawValue: $0) }
                self.connection.write(
                    reply.map { WebSocketFrameEncoder.closeFrame(code: $0) }
                        ?? WebSocketFrameEncoder.frame(.close, payload: []),
                    ignoringLimit: true)
            }
            self.connection.close(mode: .afterFlush)
        }
    }

    /// Fails the connection (RFC 6455 §7.1.7): our close frame, then the TCP close.
    private func fail(_ code: WebSocketCloseCode, reason: String) {
        if !self.closeSent {
            self.closeSent = true
            self.firstClose = self.firstClose ?? (code.rawValue, "server", .now)
            self.connection.leaveBroadcastGroup()
            self.connection.write(WebSocketFrameEncoder.closeFrame(code: code, reason: reason), ignoringLimit: true)
        }
        self.connection.close(mode: .afterFlush)
    }

    func connectionDidReadEOF(_ connection: Connection) {
        connection.close(mode: .afterFlush)
    }

    func connectionDeadlinePassed(_ connection: Connection) {
        let now = connection.loop.now
        if self.closeDue != 0 && self.closeDue <= now {
            connection.close(mode: .immediately)
            return
        }
        if self.delegateDue != 0 && self.delegateDue <= now {
            self.delegateDue = 0
            self.delegate?.sessionDelegateDeadlinePassed(self)
        }
        if self.pingDue != 0 && self.pingDue <= now && !self.closeSent {
            if self.awaitingPong {
                self.close(code: .policyViolation, reason: "no pong", flushFirst: false)
                return
            }
            self.awaitingPong = true
            connection.write(WebSocketFrameEncoder.frame(.ping, payload: []), ignoringLimit: true)
            self.schedulePing()
        }
        self.updateDeadline()
    }

    func connectionShouldShutDown(_ connection: Connection) {
        self.close(code: .goingAway, reason: "server shutting down")
    }

    func connectionBacklogLimitReached(_ connection: Connection) {
        self.closeSlowReader()
    }

    func connectionDidDrain(_ connection: Connection) {
        guard !self.closeSent else { return }
        self.delegate?.sessionDidDrain(self)
    }

    func connectionDidClose(_ connection: Connection) {
        self.metrics.webSocketsClosed.increment()
        if let accessLog {
            let (code, by, at) = self.firstClose ?? (1006, "none", .now)  // 1006: the connection ended without a close frame
            accessLog.log.webSocketClosed(path: accessLog.path, code: code, by: by, duration: at - self.opened, client: accessLog.client)
        }
        let delegate = self.delegate
        self.delegate = nil
        delegate?.sessionDidClose(self)
    }

    // MARK: Timers

    private func schedulePing() {
        self.pingDue = self.connection.loop.now + UInt64(self.settings.pingIntervalMilliseconds)
        self.updateDeadline()
    }

    private func updateDeadline() {
        var due = UInt64.max
        for candidate in [self.pingDue, self.delegateDue, self.closeDue] where candidate != 0 && candidate < due {
            due = candidate
        }
        if due != UInt64.max {
            // Absolute: reads arriving just before each sweep must not push a passed deadline (a join timeout) on.
            self.connection.setDeadline(at: due)
        } else {
            self.connection.clearDeadline()
        }
    }
}
