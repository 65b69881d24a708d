import Foundation
import Sockets
import Synchronization
import TLS
import WebSocket

/// What one rehearsal client saw, copied off its loop at the end.
struct RehearseClientRecord: Sendable {
    var role: RehearseClient.Role.Kind
    var joinedAt: UInt64 = 0
    /// Ids of every `comment` message, in arrival order.
    var commentIds: [Int64] = []
    /// `hidden` / `pinned` notices: the comment id and how many comments had arrived before it.
    var hidden: [(id: Int64, after: Int)] = []
    var pinned: [Int64] = []
    /// Server `error` messages by code, and the first message of each.
    var errors: [String: Int] = [:]
    var errorMessages: [String: String] = [:]
    /// Why the connection ended without us asking, or why it never opened.
    var failure: String?
    var unexpectedClose = false
    var stillOpen = false
}

/// One WebSocket client of a rehearsal (attendee, viewer or host) on the client event loop.
///
/// Speaks RFC 6455 as a client over the Sockets engine (over TLS, `wss`, for an `https://` target): the upgrade request, the accept check,
/// masked frames out and `WebSocketReader(role: .client)` in. Every method runs on `loop`; the
/// type is `@unchecked Sendable` only so the driver can hold it and hop over with `loop.execute`.
final class RehearseClient: ConnectionHandler, @unchecked Sendable {
    enum Role: Sendable {
        case attendee(ticket: String)
        case viewer
        case host(key: String)

        enum Kind: String, Sendable, Codable { case attendee, viewer, host }

        var kind: Kind {
            switch self {
            case .attendee: .attendee
            case .viewer: .viewer
            case .host: .host
            }
        }
    }

    struct Settings: Sendable {
        var target: RehearseTarget
        var slug: String
        var joinTimeoutMilliseconds: Int
    }

    private enum Phase { case connecting, handshaking, open, closed }

    /// The `rejected` mark of a comment that was due while its attendee was disconnected.
    static let notConnected = "attendee_not_connected"

    let role: Role
    let loop: EventLoop
    let ledger: RehearseLedger
    let settings: Settings
    private(set) var record: RehearseClientRecord
    /// Joined and connected; read by the driver from its own task.
    let isJoined = Atomic<Bool>(false)
    private var phase = Phase.connecting
    private var connection: Connection?
    private var key = ""
    private var head: [UInt8] = []
    private var reader = WebSocketReader(role: .client, limits: WebSocketLimits(maxMessageBytes: 1 << 20))
    private var closingByUs = false
    /// Reused for every message this client reads.
    let decoder = JSONDecoder()

    init(role: Role, loop: EventLoop, ledger: RehearseLedger, settings: Settings) {
        self.role = role
        self.loop = loop
        self.ledger = ledger
        self.settings = settings
        self.record = RehearseClientRecord(role: role.kind)
    }

    /// Connects and sends the upgrade request. On `loop`.
    func start() {
        do {
            let target = self.settings.target
            guard !target.isSecure || target.tls != nil else {
                self.fail("no TLS settings for an https target", unexpected: false)
                return
            }
            try self.loop.connect(host: target.address, port: target.port, tls: target.tls, serverName: target.host) {
                [self] connection in
                self.attach(connection)
                return self
            }
        } catch {
            self.fail("connect failed: \(error)", unexpected: false)
        }
    }

    private func attach(_ connection: Connection) {
        self.connection = connection
        self.phase = .handshaking
        self.key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request = """
            GET /api/events/\(self.settings.slug)/live HTTP/1.1\r
            Host: \(self.settings.target.hostHeader)\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: \(self.key)\r
            Sec-WebSocket-Version: 13\r
            \r

            """
        connection.write(Array(request.utf8))
        connection.setDeadline(milliseconds: self.settings.joinTimeoutMilliseconds)
    }

    /// Changes the record. On `loop`.
    func updateRecord(_ body: (inout RehearseClientRecord) -> Void) {
        body(&self.record)
    }

    /// Joined: the welcome deadline no longer applies. On `loop`.
    func clearJoinDeadline() {
        self.connection?.clearDeadline()
    }

    // MARK: Sending

    /// Posts planned comment `seq` (attendees). On `loop`.
    func post(seq: Int) {
        guard self.phase == .open, self.record.joinedAt != 0 else {
            self.ledger.markRejected(seq: seq, code: Self.notConnected)
            return
        }
        self.ledger.markSent(seq: seq)
        self.sendJSON(#"{"type":"comment","text":"\#(self.ledger.text(seq: seq))","nonce":"\#(self.ledger.nonce(seq: seq))"}"#)
    }

    /// Sends a host action such as `hide` or `pin` for `commentId`. On `loop`.
    func moderate(_ action: String, commentId: Int64) {
        self.sendJSON(#"{"type":"\#(action)","commentId":\#(commentId)}"#)
    }

    func sendJSON(_ text: String) {
        self.sendFrame(.text, Array(text.utf8))
    }

    private func sendFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8]) {
        guard self.phase == .open, let connection = self.connection else { return }
        let mask = UInt32.random(in: 0...UInt32.max)
        let key = (
            UInt8(truncatingIfNeeded: mask), UInt8(truncatingIfNeeded: mask >> 8),
            UInt8(truncatingIfNeeded: mask >> 16), UInt8(truncatingIfNeeded: mask >> 24)
        )
        connection.write(WebSocketFrameEncoder.maskedFrame(opcode, payload: payload, maskKey: key), ignoringLimit: true)
    }

    // MARK: Ending

    /// Copies the record and starts a clean close (1000). On `loop`.
    func finish() -> RehearseClientRecord {
        var snapshot = self.record
        snapshot.stillOpen = self.phase == .open
        self.closeByUs()
        return snapshot
    }

    private func closeByUs() {
        self.closingByUs = true
        guard let connection = self.connection else { return }
        if self.phase == .open {
            self.sendFrame(.close, WebSocketFrameEncoder.closePayload(code: .normalClosure))
            connection.close(mode: .afterFlush)
        } else {
            connection.close(mode: .immediately)
        }
    }

    /// Records why this client failed; counted once.
    func fail(_ reason: String, unexpected: Bool) {
        guard !self.closingByUs, self.record.failure == nil else { return }
        self.record.failure = reason
        self.record.unexpectedClose = unexpected
        if unexpected { self.ledger.unexpectedCloses.add(1, ordering: .relaxed) }
        if self.record.joinedAt == 0 { self.ledger.failedJoins.add(1, ordering: .relaxed) }
    }

    // MARK: ConnectionHandler

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        switch self.phase {
        case .handshaking:
            self.head.append(contentsOf: bytes)
            self.readHandshake(connection)
        case .open:
            self.readFrames(bytes)
        case .connecting, .closed:
            return
        }
    }

    func connectionDidReadEOF(_ connection: Connection) {
        let joined = self.record.joinedAt != 0
        self.fail(
            joined ? "the server dropped the connection without a close frame" : "the server closed the connection before the welcome",
            unexpected: joined)
        connection.close(mode: .immediately)
    }

    func connectionDeadlinePassed(_ connection: Connection) {
        guard self.record.joinedAt == 0 else { return }
        self.fail("no welcome within \(self.settings.joinTimeoutMilliseconds / 1000) s", unexpected: false)
        connection.close(mode: .immediately)
    }

    func connectionShouldShutDown(_ connection: Connection) {
        self.closeByUs()
    }

    func connectionTLSHandshakeFailed(_ connection: Connection, error: TLSError) {
        self.fail(RehearseTrust.handshakeFailure(host: self.settings.target.host, error), unexpected: false)
    }

    func connectionDidClose(_ connection: Connection) {
        let wasOpen = self.phase == .open
        self.phase = .closed
        self.connection = nil
        let joined = self.record.joinedAt != 0
        self.fail(wasOpen ? "the connection was reset" : "could not connect (refused or reset)", unexpected: joined)
        if wasOpen { self.ledger.connectionsOpen.subtract(1, ordering: .relaxed) }
        if self.isJoined.exchange(false, ordering: .relaxed) { self.ledger.joined.subtract(1, ordering: .relaxed) }
    }

    // MARK: Reading

    private func readHandshake(_ connection: Connection) {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard let end = self.head.indices.dropLast(3).first(where: { self.head[$0..<$0 + 4].elementsEqual(terminator) }) else {
            if self.head.count > 16 << 10 {
                self.fail("the upgrade answer is too large", unexpected: false)
                connection.close(mode: .immediately)
            }
            return
        }
        let text = String(decoding: self.head[..<end], as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let accept = lines.dropFirst().first { $0.lowercased().hasPrefix("sec-websocket-accept:") }
            .map { $0.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces) }
        guard lines.first?.split(separator: " ").dropFirst().first == "101" else {
            self.fail("the upgrade was refused: \(lines.first ?? "no status line")", unexpected: false)
            connection.close(mode: .immediately)
            return
        }
        guard accept == WebSocketHandshake.acceptValue(forKey: self.key) else {
            self.fail("the upgrade answer has a wrong Sec-WebSocket-Accept", unexpected: false)
            connection.close(mode: .immediately)
            return
        }
        var rest = Array(self.head[(end + 4)...])
        self.head = []
        self.phase = .open
        self.ledger.connectionsOpen.add(1, ordering: .relaxed)
        self.sendJSON(self.joinMessage)
        if !rest.isEmpty {
            rest.withUnsafeMutableBytes { self.readFrames($0) }
        }
    }

    private var joinMessage: String {
        switch self.role {
        case .attendee(let ticket): #"{"type":"join","ticket":"\#(ticket)"}"#
        case .viewer: #"{"type":"join"}"#
        case .host(let key): #"{"type":"join","hostKey":"\#(key)"}"#
        }
    }

    private func readFrames(_ bytes: UnsafeMutableRawBufferPointer) {
        var events: [WebSocketEvent] = []
        do {
            try self.reader.read(bytes) { events.append($0) }
        } catch {
            self.fail("the server broke the WebSocket protocol: \(error)", unexpected: self.record.joinedAt != 0)
            self.connection?.close(mode: .immediately)
        }
        for event in events {
            guard self.phase == .open else { return }
            switch event {
            case .message(let message):
                self.handleMessage(message.bytes)
            case .ping(let payload):
                self.sendFrame(.pong, payload)
            case .pong:
                continue
            case .close(let code, let reason):
                self.fail(
                    "the server closed with \(code.map(String.init) ?? "no code")\(reason.isEmpty ? "" : " \(reason)")",
                    unexpected: self.record.joinedAt != 0)
                if !self.closingByUs {
                    self.closingByUs = true
                    self.sendFrame(.close, code.map { [UInt8($0 >> 8), UInt8(truncatingIfNeeded: $0)] } ?? [])
                }
                self.connection?.close(mode: .afterFlush)
            }
        }
    }
}
