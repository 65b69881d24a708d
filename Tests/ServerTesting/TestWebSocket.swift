import Foundation
public import WebSocket

/// A WebSocket client over `TestSocket`: masked frames out, a client-role reader in.
public final class TestWebSocket {
    public let socket: TestSocket
    private var reader: WebSocketReader
    private var events: [WebSocketEvent] = []
    public private(set) var failure: WebSocketFailure?
    public let handshake: TestResponse

    public static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    /// Connects over plain TCP and upgrades; `inflater` reads compressed (RSV1) server frames when
    /// the test offered permessage-deflate.
    public convenience init(
        port: Int, path: String, extraHeaders: String = "", inflater: (any WebSocketInflater)? = nil, source: String? = nil
    ) throws {
        try self.init(
            socket: TestSocket(port: port, source: source), path: path, host: "127.0.0.1:\(port)",
            extraHeaders: extraHeaders, inflater: inflater)
    }

    /// Upgrades an open connection (a TLS one after its handshake).
    public init(
        socket: TestSocket, path: String, host: String, extraHeaders: String = "", inflater: (any WebSocketInflater)? = nil
    ) throws {
        self.reader = WebSocketReader(
            role: .client, limits: WebSocketLimits(maxMessageBytes: 64 << 20, maxFragments: 1 << 20), inflater: inflater)
        self.socket = socket
        self.socket.send(
            "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(Self.key)\r\nSec-WebSocket-Version: 13\r\n\(extraHeaders)\r\n")
        self.handshake = try self.socket.readResponse()
        guard self.handshake.status == 101 else {
            throw TestSocket.Failure(description: "upgrade refused: \(self.handshake.status) \(self.handshake.text)")
        }
    }

    public func send(text: String) { self.send(.text, Array(text.utf8)) }

    public func send(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, rsv1: Bool = false) {
        self.socket.send(
            WebSocketFrameEncoder.maskedFrame(opcode, payload: payload, fin: fin, rsv1: rsv1, maskKey: (1, 2, 3, 4)))
    }

    /// The next event, or nil on timeout/EOF.
    public func receive() -> WebSocketEvent? {
        while self.events.isEmpty {
            if !self.socket.buffer.isEmpty {
                var bytes = self.socket.buffer
                self.socket.buffer = []
                do {
                    try bytes.withUnsafeMutableBytes { raw in
                        try self.reader.read(raw) { self.events.append($0) }
                    }
                } catch let failure as WebSocketFailure {
                    self.failure = failure
                    return nil
                } catch {
                    return nil
                }
                continue
            }
            guard self.socket.fill() else { return nil }
        }
        return self.events.removeFirst()
    }

    /// The next text message as a string, skipping pings.
    public func receiveText() -> String? {
        while let event = self.receive() {
            switch event {
            case .message(.text(let bytes)): return String(decoding: bytes, as: UTF8.self)
            case .ping, .pong: continue
            default: return nil
            }
        }
        return nil
    }

    /// The next whole message, skipping control frames; nil on timeout, EOF or a close.
    public func receiveMessage() -> WebSocketMessage? {
        while let event = self.receive() {
            if case .message(let message) = event { return message }
        }
        return nil
    }

    /// The close code the server sent, reading past any messages.
    public func receiveCloseCode() -> UInt16? { self.receiveClose()?.code }

    /// The server's close frame, code and reason, reading past any messages.
    public func receiveClose() -> (code: UInt16?, reason: String)? {
        while let event = self.receive() {
            if case .close(let code, let reason) = event { return (code, reason) }
        }
        return nil
    }
}
