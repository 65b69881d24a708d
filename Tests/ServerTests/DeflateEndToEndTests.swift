import BackchannelServer
import Foundation
import ServerTesting
import Testing
import WebSocket
import WebSocketDeflate

/// permessage-deflate (RFC 7692) over real loopback sockets, against `/echo` and `/bench/broadcast`.
@Suite struct DeflateEndToEndTests {
    static func server(deflate: Bool = true) throws -> TestServer {
        try TestServer {
            $0.echoEnabled = true
            $0.benchEnabled = true
            $0.deflateEnabled = deflate
        }
    }

    static func offer(_ value: String) -> String { "Sec-WebSocket-Extensions: \(value)\r\n" }

    /// A comment long enough to be compressed (above `defaultMinimumMessageBytes`).
    static let comment = Array(
        (#"{"type":"comment","id":4242,"author":"Dana K.","text":"could you repeat the question about "#
            + #"latency and memory, please? the audio was a bit quiet","likes":0,"pinned":false}"#).utf8)

    @Test func echoCompressedBothWays() throws {
        let server = try Self.server()
        defer { server.stop() }
        let inflater = RecordingInflater(DeflateInflater())
        let ws = try TestWebSocket(
            port: server.port, path: "/echo", extraHeaders: Self.offer("permessage-deflate; client_max_window_bits"),
            inflater: inflater)
        #expect(ws.handshake.header("Sec-WebSocket-Extensions") == "permessage-deflate; server_no_context_takeover")
        // The client keeps its context between messages (it did not offer to drop it).
        let client = DeflateCompressor(noContextTakeover: false)
        for _ in 0..<3 {
            ws.send(.text, try #require(client.compress(Self.comment)), rsv1: true)
            #expect(ws.receive() == .message(.text(Self.comment)))
        }
        #expect(inflater.messages == 3, "echoes above the threshold come back compressed")
        // Plain messages are still fine, and small echoes go back uncompressed.
        ws.send(text: "hi")
        #expect(ws.receiveText() == "hi")
        ws.send(.text, try #require(client.compress(Array("short".utf8))), rsv1: true)
        #expect(ws.receiveText() == "short")
        #expect(inflater.messages == 3)
        // A large binary message, fragmented, compressed.
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 / 7) }
        let compressed = try #require(client.compress(big))
        ws.send(.binary, Array(compressed[..<1000]), fin: false, rsv1: true)
        ws.send(.continuation, Array(compressed[1000...]))
        #expect(ws.receive() == .message(.binary(big)))
        #expect(inflater.messages == 4)
        ws.send(.close, [0x03, 0xE8])
        #expect(ws.receiveCloseCode() == 1000)
    }

    @Test func clientWithoutContextTakeover() throws {
        let server = try Self.server()
        defer { server.stop() }
        let ws = try TestWebSocket(
            port: server.port, path: "/echo",
            extraHeaders: Self.offer("permessage-deflate; client_no_context_takeover; server_max_window_bits=10"),
            inflater: DeflateInflater(windowBits: 10))
        #expect(
            ws.handshake.header("Sec-WebSocket-Extensions")
                == "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10")
        let client = DeflateCompressor()
        for _ in 0..<3 {
            ws.send(.text, try #require(client.compress(Self.comment)), rsv1: true)
            #expect(ws.receive() == .message(.text(Self.comment)))
        }
    }

    @Test func malformedOfferIsDeclinedNotRefused() throws {
        let server = try Self.server()
        defer { server.stop() }
        let ws = try TestWebSocket(
            port: server.port, path: "/echo", extraHeaders: Self.offer("permessage-deflate; server_max_window_bits=16"))
        #expect(ws.handshake.header("Sec-WebSocket-Extensions") == nil)
        // Without an agreement RSV1 is a protocol error (RFC 6455 §5.2).
        ws.send(.text, DeflateCompressor().compress(Self.comment)!, rsv1: true)
        #expect(ws.receiveCloseCode() == 1002)
    }

    @Test func switchedOff() throws {
        let server = try Self.server(deflate: false)
        defer { server.stop() }
        let ws = try TestWebSocket(port: server.port, path: "/echo", extraHeaders: Self.offer("permessage-deflate"))
        #expect(ws.handshake.header("Sec-WebSocket-Extensions") == nil)
        ws.send(.text, Self.comment)
        #expect(ws.receive() == .message(.text(Self.comment)))
    }

    /// 32 MiB of zeros in ~32 KiB against the 16 MiB echo limit: 1009, without inflating it all.
    @Test func bombClosesWith1009() throws {
        let server = try Self.server()
        defer { server.stop() }
        let ws = try TestWebSocket(port: server.port, path: "/echo", extraHeaders: Self.offer("permessage-deflate"))
        let bomb = try #require(DeflateCompressor().compress([UInt8](repeating: 0, count: 32 << 20)))
        #expect(bomb.count < 64 << 10)
        ws.send(.binary, bomb, rsv1: true)
        #expect(ws.receiveCloseCode() == 1009)
    }

    @Test func corruptDataClosesWith1007() throws {
        let server = try Self.server()
        defer { server.stop() }
        let ws = try TestWebSocket(port: server.port, path: "/echo", extraHeaders: Self.offer("permessage-deflate"))
        ws.send(.text, [0xFF, 0xFF, 0xFF], rsv1: true)
        #expect(ws.receiveCloseCode() == 1007)
    }

    /// One broadcast: compressed for the member that agreed, plain for the one that did not.
    @Test func broadcastPicksTheFramePerMember() throws {
        let server = try Self.server()
        defer { server.stop() }
        let inflater = RecordingInflater(DeflateInflater())
        let deflating = try TestWebSocket(
            port: server.port, path: "/bench/broadcast", extraHeaders: Self.offer("permessage-deflate"),
            inflater: inflater)
        let plain = try TestWebSocket(port: server.port, path: "/bench/broadcast")
        #expect(deflating.handshake.header("Sec-WebSocket-Extensions") != nil)
        // Both joined once each answers a round trip of its own.
        for ws in [deflating, plain] {
            ws.send(.ping, [1])
            #expect(ws.receive() == .pong([1]))
        }
        plain.send(.text, Self.comment)
        #expect(deflating.receive() == .message(.text(Self.comment)))
        #expect(plain.receive() == .message(.text(Self.comment)))
        #expect(inflater.messages == 1)
    }
}

/// Counts the compressed messages a client reader inflated, to see RSV1 frames on the wire.
final class RecordingInflater: WebSocketInflater {
    private let inner: DeflateInflater
    private(set) var messages = 0

    init(_ inner: DeflateInflater) { self.inner = inner }

    func inflate(_ payload: UnsafeRawBufferPointer, isFinal: Bool, limit: Int, into output: inout [UInt8])
        throws(WebSocketFailure)
    {
        if isFinal { self.messages += 1 }
        try self.inner.inflate(payload, isFinal: isFinal, limit: limit, into: &output)
    }
}
