import Foundation
import ServerTesting
import Testing
import WebSocket
import WebSocketDeflate

/// The live room with permessage-deflate: comments arrive compressed for clients that agreed,
/// plain for those that didn't, and read the same.
@Suite struct LiveDeflateTests {
    @Test func commentsReachDeflateAndPlainClientsAlike() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "squeeze", capacity: 5)
        let ada = try Fixture.register(server.port, slug: "squeeze", name: "Ada")

        let inflater = RecordingInflater(DeflateInflater())
        let compressed = TestWebSocketLive(
            try TestWebSocket(
                port: server.port, path: "/api/events/squeeze/live",
                extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n", inflater: inflater))
        #expect(compressed.ws.handshake.header("Sec-WebSocket-Extensions")?.contains("permessage-deflate") == true)
        let plain = try LiveClient(port: server.port, slug: "squeeze")
        let poster = try LiveClient(port: server.port, slug: "squeeze")
        compressed.join()
        plain.join()
        poster.join(ticket: ada.code)

        let text = "A comment long enough to be worth compressing: " + String(repeating: "so much to say, ", count: 8) + "the end."
        poster.send(["type": "comment", "text": text, "nonce": "z"])
        let viaDeflate = compressed.next(type: "comment")
        let viaPlain = plain.next(type: "comment")
        #expect(viaDeflate?["text"] as? String == text)
        #expect(viaPlain?["text"] as? String == text)
        #expect(inflater.messages >= 1, "the comment frame was compressed")
    }
}

/// `LiveClient`'s JSON helpers over a `TestWebSocket` made by the caller (e.g. with an inflater).
struct TestWebSocketLive {
    let ws: TestWebSocket

    init(_ ws: TestWebSocket) { self.ws = ws }

    func send(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object)
        self.ws.send(text: String(decoding: data, as: UTF8.self))
    }

    @discardableResult
    func join() -> [String: Any]? {
        self.send(["type": "join"])
        return self.next(type: "welcome")
    }

    func next(type: String) -> [String: Any]? {
        while let text = self.ws.receiveText() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            if object["type"] as? String == type { return object }
        }
        return nil
    }
}
