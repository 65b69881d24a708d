import HTTP1
import Sockets
import WebSocket

/// HTTP/1.1 on one connection: parses requests (pipelined ones in order), routes them, writes
/// answers, and hands the connection to a `WebSocketSession` on a valid upgrade.
///
/// While an answer is pending (a store call on another thread), further bytes wait in `pending`
/// so answers leave in request order.
///
/// `@unchecked Sendable`: state is touched only on the connection's loop; a `Responder` called on
/// another thread only captures the handler to hop back with `loop.execute`.
final class HTTPConnectionHandler: ConnectionHandler, @unchecked Sendable {
    private let app: ServerContext
    private let connection: Connection
    private var parser: HTTPRequestParser
    private var pending: [UInt8] = []
    private var awaitingResponse = false
    /// For the access log: the request being answered (method, logged path, start), and the peer.
    private var current: (method: String, path: String, started: ContinuousClock.Instant)?
    private lazy var client = self.connection.peerHost

    init(app: ServerContext, connection: Connection) {
        self.app = app
        self.connection = connection
        self.parser = HTTPRequestParser(limits: app.parserLimits)
        connection.setDeadline(milliseconds: app.configuration.requestTimeoutSeconds * 1000)
    }

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        if self.awaitingResponse {
            guard self.pending.count + bytes.count <= self.app.parserLimits.maxBodyBytes + 64 << 10 else {
                connection.close(mode: .immediately)
                return
            }
            self.pending.append(contentsOf: bytes)
            return
        }
        self.process(bytes)
    }

    private func process(_ bytes: UnsafeMutableRawBufferPointer) {
        var offset = 0
        while offset < bytes.count && self.connection.isOpen && !self.awaitingResponse {
            let request: HTTPRequest?
            do {
                let result = try self.parser.parse(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                offset += result.consumed
                request = result.request
            } catch {
                self.app.metrics.httpErrors.increment()
                self.write(HTTPResponseError(status: error.status, code: Self.code(for: error.status), message: error.message).response,
                           isHead: false, keepAlive: false)
                return
            }
            guard let request else { break }
            let rest = UnsafeMutableRawBufferPointer(rebasing: bytes[offset...])
            if self.handle(request, leftover: rest) {
                return  // upgraded: the WebSocket session owns the rest
            }
            if self.awaitingResponse {
                self.pending = Array(rest)
                return
            }
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
        case .found(.http(let handler), let parameters):
            let context = RequestContext(
                request: request, parameters: parameters, query: QueryParameters(head.query), connection: self.connection,
                client: self.client)
            self.awaitingResponse = true
            let connection = self.connection
            handler(context, Responder { [self] response in
                if connection.loop.inEventLoop {
                    self.answered(response, isHead: isHead, keepAlive: keepAlive)
                } else {
                    connection.loop.execute { [self] in self.answered(response, isHead: isHead, keepAlive: keepAlive) }
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

    private func answered(_ response: HTTPResponse, isHead: Bool, keepAlive: Bool) {
        guard self.awaitingResponse, self.connection.isOpen else { return }
        self.awaitingResponse = false
        self.write(response, isHead: isHead, keepAlive: keepAlive)
        guard self.connection.isOpen else { return }
        if !self.pending.isEmpty {
            var bytes = self.pending
            self.pending = []
            bytes.withUnsafeMutableBytes { self.process($0) }
        } else {
            self.updateDeadline()
        }
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
        self.connection.write(WebSocketHandshake.response(accept: accept, extensions: negotiated?.responseHeader),
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
        let seconds = self.parser.isIdle ? self.app.configuration.idleTimeoutSeconds : self.app.configuration.requestTimeoutSeconds
        self.connection.setDeadline(milliseconds: seconds * 1000)
    }

    func connectionDeadlinePassed(_ connection: Connection) {
        if self.awaitingResponse {
            self.updateDeadline()
        } else if self.parser.isIdle {
            connection.close(mode: .afterFlush)
        } else {
            let error = HTTPResponseError(status: .requestTimeout, code: "request_timeout",
                                          message: "The request took too long to arrive.")
            self.write(error.response, isHead: false, keepAlive: false)
        }
    }

    func connectionShouldShutDown(_ connection: Connection) {
        if !self.awaitingResponse { connection.close(mode: .afterFlush) }
    }

    func connectionDidClose(_ connection: Connection) {
        self.pending = []
    }
}
