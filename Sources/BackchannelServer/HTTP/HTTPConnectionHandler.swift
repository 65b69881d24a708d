import HTTP1
import Prometheus
import Sockets
import WebSocket

/// HTTP/1.1 on one connection: parses requests (pipelined ones in order), routes them, writes
/// answers, and hands the connection to a `WebSocketSession` on a valid upgrade.
///
/// While an answer is pending (a store call on another thread), or while more answers wait for the
/// peer than the backlog bound allows (`Connection.maxOutboundBytes`, as for WebSockets), further
/// bytes wait in `pending`: answers leave in request order and a peer that pipelines requests
/// without reading the answers cannot make the server hold more than the bound. Past
/// `maxPendingBytes` the socket is not read at all until parsing resumes.
///
/// Time limits: a request must arrive whole (head and body) within `http.request.timeout.seconds`
/// of its first byte, however its bytes trickle in; between requests the connection may stay idle
/// `http.idle.timeout.seconds` (stray empty lines do not restart that clock); a peer that reads none
/// of its answers for the idle timeout is closed.
///
/// `@unchecked Sendable`: state is touched only on the connection's loop; a `Responder` called on
/// another thread only captures the handler to hop back with `loop.execute`.
final class HTTPConnectionHandler: ConnectionHandler, @unchecked Sendable {
    private let app: ServerContext
    private let connection: Connection
    private var parser: HTTPRequestParser
    /// Bytes read but not parsed yet (see the type's comment).
    private var pending: [UInt8] = []
    private var awaitingResponse = false
    /// For the access log: the request being answered (method, logged path, start), and the peer.
    private var current: (method: String, path: String, started: ContinuousClock.Instant)?
    private lazy var client = self.connection.peerHost
    /// Parsing waits until the answers already queued have gone to the kernel.
    private var awaitingDrain = false
    /// Loop time of the first byte of the request being parsed; nil between requests.
    private var requestStartedAt: UInt64?
    /// Loop time by which the next request must start (or the idle connection closes).
    private var idleUntil: UInt64
    /// The peer sent EOF after requests that still wait: answer them, then close.
    private var peerFinished = false
    /// An answer held until a loop time (a failed authentication, `RequestContext.answerDelay`); the
    /// connection's deadline fires then, so the loop waits for nothing.
    private var held: (response: HTTPResponse, isHead: Bool, keepAlive: Bool, at: UInt64)?
    /// Above this many pending bytes the socket is not read (TCP flow control holds the peer).
    static let maxPendingBytes = 64 << 10

    init(app: ServerContext, connection: Connection) {
        self.app = app
        self.connection = connection
        self.parser = HTTPRequestParser(limits: app.parserLimits)
        // The first request must start as soon as any other would have to arrive.
        self.idleUntil = connection.loop.now + UInt64(app.configuration.requestTimeoutSeconds) * 1000
        connection.setDeadline(milliseconds: app.configuration.requestTimeoutSeconds * 1000)
    }

    private var isSuspended: Bool { self.awaitingResponse || self.awaitingDrain }

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        if self.isSuspended {
            self.hold(UnsafeRawBufferPointer(bytes))
            return
        }
        self.process(bytes)
    }

    /// Keeps bytes for later; stops reading once enough are held.
    private func hold(_ bytes: UnsafeRawBufferPointer) {
        self.pending.append(contentsOf: bytes)
        if self.pending.count >= Self.maxPendingBytes { self.connection.pauseReading() }
    }

    private func process(_ bytes: UnsafeMutableRawBufferPointer) {
        var offset = 0
        while offset < bytes.count && self.connection.isOpen && !self.awaitingResponse {
            if self.connection.outboundBytes > self.connection.maxOutboundBytes {
                // The peer is not reading its answers: parse nothing more until they have gone out.
                self.awaitingDrain = true
                self.connection.notifyWhenDrained()
                break
            }
            let request: HTTPRequest?
            let wasIdle = self.parser.isIdle
            do {
                let result = try self.parser.parse(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                offset += result.consumed
                request = result.request
                if wasIdle && !self.parser.isIdle { self.requestStartedAt = self.connection.loop.now }
            } catch {
                self.app.metrics.httpErrors.increment()
                self.write(
                    HTTPResponseError(status: error.status, code: Self.code(for: error.status), message: error.message).response,
                    isHead: false, keepAlive: false)
                return
            }
            guard let request else { break }
            self.requestStartedAt = nil
            let rest = UnsafeMutableRawBufferPointer(rebasing: bytes[offset...])
            if self.handle(request, leftover: rest) {
                return  // upgraded: the WebSocket session owns the rest
            }
        }
        if offset < bytes.count && self.connection.isOpen && self.isSuspended {
            self.hold(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        }
        self.updateDeadline()
    }

    /// Routes one request; returns true when the connection was upgraded.
    private func handle(_ request: HTTPRequest, leftover: UnsafeMutableRawBufferPointer) -> Bool {
        self.app.metrics.httpRequests.increment()
        let head = request.head
        let keepAlive = head.keepAlive
        let isHead = head.method == .head
        let match = self.app.router.match(head.method, path: head.path)
        self.current = (head.method.rawValue, self.app.accessLog.loggedPath(head.path, match), .now)
        switch match {
        case .found(.webSocket(let route), let parameters):
            let context = RequestContext(
                request: request, parameters: parameters, query: QueryParameters(head.query), connection: self.connection,
                client: self.client)
            return self.upgrade(context, route: route, leftover: leftover)
        case .found(.http, _) where !Self.isSafe(head.method) && self.app.origins.refuses(head):
            // A page on another site sending a change through its visitor's browser (CSRF).
            self.write(HTTPResponseError.forbiddenOrigin.response, isHead: isHead, keepAlive: keepAlive)
            return false
        case .found(.http(let handler), let parameters):
            let context = RequestContext(
                request: request, parameters: parameters, query: QueryParameters(head.query), connection: self.connection,
                client: self.client)
            self.awaitingResponse = true
            let connection = self.connection
            handler(
                context,
                Responder { [self] response in
                    let delay = context.answerDelay.milliseconds
                    if connection.loop.inEventLoop {
                        self.answered(response, isHead: isHead, keepAlive: keepAlive, after: delay)
                    } else {
                        connection.loop.execute { [self] in self.answered(response, isHead: isHead, keepAlive: keepAlive, after: delay) }
                    }
                })
            return false
        case .methodNotAllowed(let allowed):
            var error = HTTPResponseError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "\(head.method) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", ")).")
            error.headers.add(name: "Allow", value: allowed.map(\.rawValue).joined(separator: ", "))
            self.write(error.response, isHead: isHead, keepAlive: keepAlive)
            return false
        case .notFound:
            if head.method == .get || head.method == .head, !head.path.hasPrefix("/api/") {
                self.write(self.app.staticFiles.response(for: head), isHead: isHead, keepAlive: keepAlive)
            } else {
                self.write(HTTPResponseError.notFound().response, isHead: isHead, keepAlive: keepAlive)
            }
            return false
        }
    }

    /// GET, HEAD and OPTIONS change nothing (RFC 9110 §9.2.1): every other method may, so its Origin is checked.
    static func isSafe(_ method: HTTPMethod) -> Bool {
        method == .get || method == .head || method == .options
    }

    /// The contract's error code for each status the parser can refuse with.
    static func code(for status: HTTPStatus) -> String {
        switch status.code {
        case 413: "too_large"
        case 414: "uri_too_long"
        case 431: "headers_too_large"
        case 501: "not_implemented"
        case 505: "http_version_not_supported"
        default: "bad_request"
        }
    }

    private func answered(_ response: HTTPResponse, isHead: Bool, keepAlive: Bool, after delay: UInt64 = 0) {
        guard self.awaitingResponse, self.connection.isOpen, self.held == nil else { return }
        if delay > 0 {
            self.held = (response, isHead, keepAlive, self.connection.loop.now + delay)
            self.updateDeadline()
            return
        }
        self.awaitingResponse = false
        self.write(response, isHead: isHead, keepAlive: keepAlive)
        self.resume()
    }

    /// Parses what waited while suspended, then reads the socket again unless suspended anew.
    private func resume() {
        guard self.connection.isOpen, !self.isSuspended else { return }
        if !self.pending.isEmpty {
            var bytes = self.pending
            self.pending = []
            bytes.withUnsafeMutableBytes { self.process($0) }
        } else {
            self.updateDeadline()
        }
        guard !self.isSuspended, self.connection.isOpen, self.connection.handler === self else { return }
        if self.peerFinished {
            self.connection.close(mode: .afterFlush)
        } else {
            self.connection.resumeReading()
        }
    }

    func connectionDidReadEOF(_ connection: Connection) {
        guard self.isSuspended else {
            connection.close(mode: .afterFlush)
            return
        }
        self.peerFinished = true
        connection.pauseReading()  // nothing more will come; `resume` closes once the answers are out
    }

    func connectionDidDrain(_ connection: Connection) {
        guard self.awaitingDrain else { return }
        self.awaitingDrain = false
        self.resume()
    }

    private func upgrade(_ context: RequestContext, route: WebSocketRoute, leftover: UnsafeMutableRawBufferPointer) -> Bool {
        let head = context.head
        let accept: String
        switch WebSocketHandshake.validate(head) {
        case .success(let value):
            accept = value
        case .failure(let refusal):
            var error = HTTPResponseError(status: refusal.status, code: "bad_upgrade", message: refusal.message)
            error.headers = refusal.headers
            self.write(error.response, isHead: false, keepAlive: false)
            return false
        }
        let delegate: any WebSocketSessionDelegate
        switch route.makeDelegate(context) {
        case .success(let made): delegate = made
        case .failure(let error):
            self.write(error.response, isHead: false, keepAlive: false)
            return false
        }
        let negotiated = self.app.negotiateDeflate(head)
        self.connection.write(
            WebSocketHandshake.response(accept: accept, extensions: negotiated?.responseHeader),
            ignoringLimit: true)
        let path = self.current?.path ?? ""
        self.logAnswered(status: 101, bytes: 0)
        var limits = WebSocketLimits()
        limits.maxMessageBytes = route.maxMessageBytes
        limits.maxFragments = route.maxFragments
        let session = WebSocketSession(
            connection: self.connection,
            settings: .init(limits: limits, pingIntervalMilliseconds: self.app.configuration.pingIntervalSeconds * 1000),
            metrics: self.app.metrics,
            deflate: negotiated,
            compressors: self.app.compressors,
            delegate: delegate,
            accessLog: (self.app.accessLog, path, self.client))
        self.connection.handler = session
        self.connection.resumeReading()  // paused if this request waited behind others
        session.start(leftover: leftover)
        return true
    }

    private func write(_ response: HTTPResponse, isHead: Bool, keepAlive: Bool) {
        var response = response
        self.app.addStandardHeaders(&response)
        if response.status.code >= 400 { self.app.metrics.httpErrors.increment() }
        let bytes = HTTPResponseWriter.serialize(response, date: self.app.dateCache.current, keepAlive: keepAlive, isHead: isHead)
        self.connection.write(bytes, ignoringLimit: true)
        self.logAnswered(status: Int(response.status.code), bytes: isHead ? 0 : response.body.count)
        self.idleUntil = self.connection.loop.now + UInt64(self.app.configuration.idleTimeoutSeconds) * 1000
        if !keepAlive { self.connection.close(mode: .afterFlush) }
    }

    /// The access log line for the request just answered (a request the parser refused has no method or path).
    private func logAnswered(status: Int, bytes: Int) {
        let current = self.current
        self.current = nil
        let duration = current.map { .now - $0.started } ?? .zero
        if current != nil { self.app.metrics.requestDuration.record(duration) }
        self.app.accessLog.request(
            method: current?.method ?? "-", path: current?.path ?? "-", status: status, bytes: bytes, duration: duration,
            client: self.client)
    }

    private func updateDeadline() {
        let configuration = self.app.configuration
        if let held = self.held {
            self.connection.setDeadline(at: held.at)
        } else if self.awaitingResponse {
            self.connection.setDeadline(milliseconds: configuration.requestTimeoutSeconds * 1000)  // our turn, not the peer's
        } else if self.awaitingDrain {
            self.connection.setDeadline(milliseconds: configuration.idleTimeoutSeconds * 1000)
        } else if let started = self.requestStartedAt {
            // Absolute: a peer sending a byte just before each sweep must not push a passed deadline on.
            self.connection.setDeadline(at: started + UInt64(configuration.requestTimeoutSeconds) * 1000)
        } else {
            self.connection.setDeadline(at: self.idleUntil)
        }
    }

    func connectionDeadlinePassed(_ connection: Connection) {
        if let held = self.held {
            guard connection.loop.now >= held.at else { return self.updateDeadline() }
            self.held = nil
            self.answered(held.response, isHead: held.isHead, keepAlive: held.keepAlive)
        } else if self.awaitingResponse {
            self.updateDeadline()
        } else if self.awaitingDrain || self.parser.isIdle {
            // Idle, or the peer read none of its answers for the idle timeout: what is queued
            // still goes out (within the closing deadline), requests not yet parsed are dropped.
            self.pending = []
            connection.close(mode: .afterFlush)
        } else {
            let error = HTTPResponseError(
                status: .requestTimeout, code: "request_timeout",
                message: "The request took too long to arrive.")
            self.write(error.response, isHead: false, keepAlive: false)
        }
    }

    func connectionShouldShutDown(_ connection: Connection) {
        if !self.awaitingResponse { connection.close(mode: .afterFlush) }
    }

    func connectionDidClose(_ connection: Connection) {
        self.pending = []
        self.held = nil
    }
}
