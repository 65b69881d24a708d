import Foundation
import Testing

/// The application-level ping pages use to notice a silently dead connection.
@Suite struct LivePingTests {
    @Test func aJoinedClientsPingIsAnsweredWithPong() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "ping")
        let client = try LiveClient(port: server.port, slug: "ping")
        client.send(["type": "ping"])
        #expect(client.next()?["code"] as? String == "not_joined", "before join, a ping is still answered")
        client.join()
        client.send(["type": "ping"])
        #expect(client.next()?["type"] as? String == "pong")
        client.send(["type": "ping"])
        client.send(["type": "ping"])
        #expect(client.next()?["type"] as? String == "pong" && client.next()?["type"] as? String == "pong", "one pong per ping")
    }
}
