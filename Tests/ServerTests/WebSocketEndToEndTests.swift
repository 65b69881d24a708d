import BackchannelServer
import Foundation
import ServerTesting
import Testing
import WebSocket

/// RFC 6455 over real loopback sockets: upgrade, echo, close codes, broadcast, shutdown.
@Suite struct WebSocketEndToEndTests {
    static func echoServer() throws -> TestServer {
        try TestServer {
            $0.echoEnabled = true
            $0.benchEnabled = true
        }
    }

    @Test func echoesTextAndBinary() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let ws = try TestWebSocket(port: server.port, path: "/echo")
        #expect(ws.handshake.header("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        ws.send(text: "héllo")
        #expect(ws.receive() == .message(.text(Array("héllo".utf8))))
        ws.send(.binary, [0, 1, 2, 255])
        #expect(ws.receive() == .message(.binary([0, 1, 2, 255])))
        ws.send(.text, Array("frag".utf8), fin: false)
        ws.send(.ping, [7])
        ws.send(.continuation, Array("ment".utf8), fin: true)
        #expect(ws.receive() == .pong([7]))
        #expect(ws.receive() == .message(.text(Array("fragment".utf8))))
        ws.send(.close, [0x03, 0xE8])
        #expect(ws.receiveCloseCode() == 1000)
        #expect(ws.socket.waitForClose())
    }

    @Test func echoIsOffUnlessEnabled() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(throws: (any Error).self) { try TestWebSocket(port: server.port, path: "/echo") }
    }

    @Test func upgradeRefusals() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let wrongVersion = try TestSocket(port: server.port)
        wrongVersion.send(
            "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n"
        )
        let refused = try wrongVersion.readResponse()
        #expect(refused.status == 426)
        #expect(refused.header("Sec-WebSocket-Version") == "13")

        let shortKey = try TestSocket(port: server.port)
        shortKey.send(
            "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        #expect(try shortKey.readResponse().status == 400)

        let mixedCase = try TestSocket(port: server.port)
        mixedCase.send(
            "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: WebSocket\r\nConnection: keep-alive, UPGRADE\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        #expect(try mixedCase.readResponse().status == 101)
    }

    @Test func unmaskedFrameClosesWith1002() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let ws = try TestWebSocket(port: server.port, path: "/echo")
        ws.socket.send(WebSocketFrameEncoder.frame(.text, payload: Array("x".utf8)))
        #expect(ws.receiveCloseCode() == 1002)
        #expect(ws.socket.waitForClose())
    }

    @Test func invalidUTF8MidFragmentClosesWith1007() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let ws = try TestWebSocket(port: server.port, path: "/echo")
        ws.send(.text, [0x68, 0x69], fin: false)
        ws.send(.continuation, [0xC0, 0xAF], fin: false)  // overlong: invalid at once
        #expect(ws.receiveCloseCode() == 1007)
    }

    @Test func oversizedMessageClosesWith1009() throws {
        let server = try TestServer {
            $0.benchEnabled = true
            $0.maxMessageBytes = 1024
        }
        defer { server.stop() }
        let ws = try TestWebSocket(port: server.port, path: "/bench/broadcast")
        ws.send(.text, [UInt8](repeating: 0x61, count: 2000))
        #expect(ws.receiveCloseCode() == 1009)
    }

    @Test func broadcastReachesEveryClientInTheSameOrder() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let clients = try (0..<6).map { _ in try TestWebSocket(port: server.port, path: "/bench/broadcast") }
        Thread.sleep(forTimeInterval: 0.2)
        for i in 0..<20 { clients[i % 3].send(text: "m\(i)") }
        var orders: [[String]] = []
        for client in clients {
            orders.append((0..<20).compactMap { _ in client.receiveText() })
        }
        #expect(orders.allSatisfy { $0.count == 20 })
        #expect(Set(orders.map { $0.joined(separator: ",") }).count == 1, "same order everywhere")
    }

    @Test func shutdownClosesWebSocketsWith1001() throws {
        let server = try Self.echoServer()
        let ws = try TestWebSocket(port: server.port, path: "/echo")
        let stopped = Thread { server.stop() }
        stopped.start()
        #expect(ws.receiveCloseCode() == 1001)
        ws.send(.close, [0x03, 0xE9])
        #expect(ws.socket.waitForClose())
    }
}
