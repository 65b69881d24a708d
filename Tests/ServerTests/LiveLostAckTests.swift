import Foundation
import ServerTesting
import TestSupport
import Testing

/// A comment that reached the room but whose `ack` was lost (the connection dropped after the commit)
/// is sent again by its author with the same nonce: the author gets the original ack, and the room
/// keeps one comment, on one node or across two on PostgreSQL.
@Suite struct LiveLostAckTests {
    static func id(_ message: [String: Any]?) -> Int64? { (message?["id"] as? NSNumber)?.int64Value }

    /// Posts with `nonce` on `port`, waits until `watcher` sees the comment (it is committed), then
    /// drops the connection without reading anything: the ack is lost. Returns the comment's id.
    static func postAndLoseTheAck(port: Int, ticket: String, slug: String, nonce: String, text: String, watcher: LiveClient) throws
        -> Int64?
    {
        let author = try LiveClient(port: port, slug: slug)
        author.join(ticket: ticket)
        author.send(["type": "comment", "text": text, "nonce": nonce])
        let seen = watcher.next(type: "comment")
        #expect(seen?["text"] as? String == text)
        author.ws.socket.shutdownWrite()
        return Self.id(seen)
    }

    @Test func sendingAgainAfterALostAckGetsTheOriginalAckAndNoSecondComment() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "lost")
        let ada = try Fixture.register(server.port, slug: "lost", name: "Ada")
        let bob = try Fixture.register(server.port, slug: "lost", name: "Bob")
        let watcher = try LiveClient(port: server.port, slug: "lost")
        watcher.join()
        let first = try Self.postAndLoseTheAck(
            port: server.port, ticket: ada.code, slug: "lost", nonce: "n-1", text: "Hello from the train", watcher: watcher)
        #expect(first == 1)

        // Ada reconnects (resuming after the comment she already saw arrive) and sends it again.
        let again = try LiveClient(port: server.port, slug: "lost")
        #expect(again.join(ticket: ada.code, since: first)?["type"] as? String == "welcome")
        again.send(["type": "comment", "text": "Hello from the train", "nonce": "n-1"])
        let ack = again.next(type: "ack")
        #expect(ack?["nonce"] as? String == "n-1")
        #expect(Self.id(ack) == first, "the original ack, with the original id")

        // The same nonce from someone else is another comment; a new nonce from Ada is too.
        let other = try LiveClient(port: server.port, slug: "lost")
        other.join(ticket: bob.code)
        other.send(["type": "comment", "text": "Bob here", "nonce": "n-1"])
        #expect(Self.id(other.next(type: "ack")) == 2)
        again.send(["type": "comment", "text": "Second thought", "nonce": "n-2"])
        #expect(Self.id(again.next(type: "ack")) == 3)

        let ids = [watcher.next(type: "comment"), watcher.next(type: "comment")].map { Self.id($0) }
        #expect(ids == [2, 3], "the room saw the repeat never: the next comments are Bob's and Ada's new one")
        let archive = try Fixture.request(server.port, "GET", "/api/events/lost/comments")
        let texts = (try archive.json()["comments"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(texts == ["Hello from the train", "Bob here", "Second thought"])
    }

    @Test func aHeldCommentSentAgainIsAcknowledgedAsHeldOnce() throws {
        let server = try TestServer()
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "review", moderation: "review")
        let ada = try Fixture.register(server.port, slug: "review", name: "Ada")
        let host = try LiveClient(port: server.port, slug: "review")
        host.join(hostKey: hostKey)
        let author = try LiveClient(port: server.port, slug: "review")
        author.join(ticket: ada.code)
        author.send(["type": "comment", "text": "Please review", "nonce": "h-1"])
        let held = host.next(type: "held")
        author.ws.socket.shutdownWrite()

        let again = try LiveClient(port: server.port, slug: "review")
        again.join(ticket: ada.code)
        again.send(["type": "comment", "text": "Please review", "nonce": "h-1"])
        let ack = again.next(type: "ack")
        #expect(ack?["held"] as? Bool == true)
        #expect(Self.id(ack) == Self.id(held?["comment"] as? [String: Any]))
        let all = try Fixture.request(server.port, "GET", "/api/events/review/comments?all=1", token: hostKey)
        #expect((try all.json()["comments"] as? [[String: Any]])?.count == 1, "one held comment, not two")
    }
}

/// The same across two nodes: the ack is lost on one, the comment is sent again to the other.
@Suite(.enabled(if: TestDatabase.serverURL != nil, "set BACKCHANNEL_TEST_POSTGRES_URL"))
struct MultiNodeLostAckTests {
    @Test func sendingAgainToTheOtherNodeGetsTheOriginalAck() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        _ = try Fixture.event(nodes.a.port, slug: "hop")
        let ada = try Fixture.register(nodes.a.port, slug: "hop", name: "Ada")
        let watcher = try LiveClient(port: nodes.b.port, slug: "hop")
        watcher.join()
        let first = try LiveLostAckTests.postAndLoseTheAck(
            port: nodes.a.port, ticket: ada.code, slug: "hop", nonce: "x-1", text: "From node A", watcher: watcher)

        let again = try LiveClient(port: nodes.b.port, slug: "hop")
        again.join(ticket: ada.code, since: first)
        again.send(["type": "comment", "text": "From node A", "nonce": "x-1"])
        #expect(LiveLostAckTests.id(again.next(type: "ack")) == first)
        again.send(["type": "comment", "text": "Then node B", "nonce": "x-2"])
        #expect(LiveLostAckTests.id(again.next(type: "ack")) == 2)
        #expect(LiveLostAckTests.id(watcher.next(type: "comment")) == 2, "no second copy reached the room")
        for port in [nodes.a.port, nodes.b.port] {
            let archive = try Fixture.request(port, "GET", "/api/events/hop/comments")
            #expect((try archive.json()["comments"] as? [[String: Any]])?.count == 2)
        }
    }
}
