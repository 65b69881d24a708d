import Foundation
import ServerTesting
import TestSupport
import Testing

/// Questions across two nodes on one PostgreSQL database: votes and states set on one node reach the
/// other's members, in one order, and one answering question holds for the whole cluster.
@Suite(.enabled(if: TestDatabase.serverURL != nil, "set BACKCHANNEL_TEST_POSTGRES_URL"))
struct MultiNodeQuestionsTests {
    static func id(_ message: [String: Any]?) -> Int64? { (message?["id"] as? NSNumber)?.int64Value }
    static func describe(_ message: [String: Any]?) -> String {
        "\((message?["commentId"] as? NSNumber)?.int64Value ?? 0) \(message?["state"] as? String ?? "")"
    }

    @Test func bothNodesSeeTheSameVotesAndStates() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        let (a, b) = (nodes.a.port, nodes.b.port)
        let hostKey = try Fixture.event(a, slug: "qa", capacity: 5)
        let ada = try Fixture.register(a, slug: "qa", name: "Ada")
        let bob = try Fixture.register(b, slug: "qa", name: "Bob")
        let askerA = try LiveClient(port: a, slug: "qa")
        askerA.join(ticket: ada.code)
        let voterB = try LiveClient(port: b, slug: "qa")
        voterB.join(ticket: bob.code)
        let hostB = try LiveClient(port: b, slug: "qa")
        hostB.join(hostKey: hostKey)
        let viewerA = try LiveClient(port: a, slug: "qa")
        viewerA.join()

        askerA.send(["type": "comment", "text": "One?", "nonce": "q1", "kind": "question"])
        let q1 = try #require(Self.id(askerA.next(type: "ack")))
        askerA.send(["type": "comment", "text": "Two?", "nonce": "q2", "kind": "question"])
        let q2 = try #require(Self.id(askerA.next(type: "ack")))
        let onB = voterB.next(type: "comment")
        #expect(onB?["kind"] as? String == "question", "the question from A reaches B as a question")

        voterB.send(["type": "like", "commentId": q1])
        let vote = viewerA.next(type: "likes")
        #expect((vote?["commentId"] as? NSNumber)?.int64Value == q1 && (vote?["likes"] as? NSNumber)?.intValue == 1)
        voterB.send(["type": "like", "commentId": q1])
        #expect(voterB.next(type: "error")?["code"] as? String == "already_liked")

        hostB.send(["type": "answering", "commentId": q1])
        hostB.send(["type": "answering", "commentId": q2])
        hostB.send(["type": "answered", "commentId": q2])
        let onA = (0..<4).map { _ in Self.describe(viewerA.next(type: "question")) }
        let onBoth = (0..<4).map { _ in Self.describe(voterB.next(type: "question")) }
        let expected = ["\(q1) answering", "\(q1) answered", "\(q2) answering", "\(q2) answered"]
        #expect(onA == expected, "node A's members see the host's states from B, in order")
        #expect(onBoth == expected)

        let archive = try Fixture.request(a, "GET", "/api/events/qa/comments").json()["comments"] as? [[String: Any]] ?? []
        #expect(archive.map { $0["state"] as? String } == ["answered", "answered"])
        #expect(archive.map { ($0["likes"] as? NSNumber)?.intValue } == [1, 0])
    }
}
