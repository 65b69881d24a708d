import Foundation
import ServerTesting
import Testing

/// Questions in the live room over real WebSockets: asking, voting with likes, the host's states,
/// review mode and blocked words, and what a resuming client is told.
@Suite struct LiveQuestionsTests {
    static func id(_ message: [String: Any]?) -> Int64? { (message?["id"] as? NSNumber)?.int64Value }
    static func commentId(_ message: [String: Any]?) -> Int64? { (message?["commentId"] as? NSNumber)?.int64Value }
    static func likes(_ message: [String: Any]?) -> Int? { (message?["likes"] as? NSNumber)?.intValue }

    @Test func askVoteOncePerPersonAndTheHostMovesTheAnsweringQuestion() throws {
        let server = try TestServer()
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "qa", capacity: 5)
        let ada = try Fixture.register(server.port, slug: "qa", name: "Ada")
        let bob = try Fixture.register(server.port, slug: "qa", name: "Bob")
        let host = try LiveClient(port: server.port, slug: "qa")
        host.join(hostKey: hostKey)
        let asker = try LiveClient(port: server.port, slug: "qa")
        asker.join(ticket: ada.code)
        let voter = try LiveClient(port: server.port, slug: "qa")
        voter.join(ticket: bob.code)
        let viewer = try LiveClient(port: server.port, slug: "qa")
        viewer.join()

        asker.send(["type": "comment", "text": "Will there be a recording?", "nonce": "q1", "kind": "question"])
        let q1 = try #require(Self.id(asker.next(type: "ack")))
        let shown = viewer.next(type: "comment")
        #expect(shown?["kind"] as? String == "question" && shown?["state"] as? String == "open")
        asker.send(["type": "comment", "text": "Hello all", "nonce": "c1"])
        _ = asker.next(type: "ack")
        let plain = viewer.next(type: "comment")
        #expect(plain?["kind"] as? String == "comment" && plain?["state"] is NSNull, "a comment has no question state")
        asker.send(["type": "comment", "text": "Is it free?", "nonce": "q2", "kind": "question"])
        let q2 = try #require(Self.id(asker.next(type: "ack")))
        asker.send(["type": "comment", "text": "x", "nonce": "bad", "kind": "poll"])
        let badKind = asker.next(type: "error")
        #expect(badKind?["code"] as? String == "bad_message" && badKind?["nonce"] as? String == "bad")

        // Votes are likes: one per person, counts broadcast to everyone.
        voter.send(["type": "like", "commentId": q1])
        #expect(Self.likes(viewer.next(type: "likes")) == 1)
        voter.send(["type": "like", "commentId": q1])
        #expect(voter.next(type: "error")?["code"] as? String == "already_liked")
        asker.send(["type": "like", "commentId": q1])
        let second = viewer.next(type: "likes")
        #expect(Self.commentId(second) == q1 && Self.likes(second) == 2)

        // Only a host changes a question's state.
        voter.send(["type": "answering", "commentId": q1])
        #expect(voter.next(type: "error")?["code"] as? String == "forbidden")
        host.send(["type": "answering", "commentId": plain.flatMap(Self.id) ?? 0])
        #expect(host.next(type: "error")?["code"] as? String == "not_a_question")
        host.send(["type": "answered", "commentId": 999])
        #expect(host.next(type: "error")?["code"] as? String == "not_found")

        host.send(["type": "answering", "commentId": q1])
        let answering = viewer.next(type: "question")
        #expect(Self.commentId(answering) == q1 && answering?["state"] as? String == "answering")
        host.send(["type": "answering", "commentId": q2])
        let moved = viewer.next(type: "question")
        #expect(Self.commentId(moved) == q1 && moved?["state"] as? String == "answered", "the previous one is answered first")
        let next = viewer.next(type: "question")
        #expect(Self.commentId(next) == q2 && next?["state"] as? String == "answering")
        host.send(["type": "dismiss", "commentId": q2])
        let seenByVoter = (0..<4).map { _ in voter.next(type: "question") }.map {
            "\(Self.commentId($0) ?? 0) \($0?["state"] as? String ?? "")"
        }
        #expect(seenByVoter == ["\(q1) answering", "\(q1) answered", "\(q2) answering", "\(q2) dismissed"], "every screen, in one order")

        let archive = try Fixture.request(server.port, "GET", "/api/events/qa/comments").json()["comments"] as? [[String: Any]] ?? []
        let states = archive.filter { $0["kind"] as? String == "question" }.map { [Self.id($0) ?? 0: ($0["state"] as? String ?? "")] }
        #expect(states == [[q1: "answered"], [q2: "dismissed"]])
        #expect(archive.first.flatMap(Self.likes) == 2)
        let actions = try Fixture.moderationLog(server.port, slug: "qa", hostKey: hostKey, until: "dismissed").compactMap {
            $0["action"] as? String
        }
        #expect(actions == ["answering", "answered", "answering", "dismissed"])
    }

    @Test func reviewModeAndBlockedWordsHoldAQuestionUntilApproved() throws {
        let server = try TestServer()
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "review", capacity: 5, moderation: "review")
        let ada = try Fixture.register(server.port, slug: "review", name: "Ada")
        let host = try LiveClient(port: server.port, slug: "review")
        host.join(hostKey: hostKey)
        let asker = try LiveClient(port: server.port, slug: "review")
        asker.join(ticket: ada.code)
        let viewer = try LiveClient(port: server.port, slug: "review")
        viewer.join()

        asker.send(["type": "comment", "text": "May I ask?", "nonce": "q", "kind": "question"])
        #expect(asker.next(type: "ack")?["held"] as? Bool == true)
        let held = try #require(host.next(type: "held")?["comment"] as? [String: Any])
        #expect(held["kind"] as? String == "question", "the host sees it is a question")
        let heldId = try #require(Self.id(held))
        host.send(["type": "approve", "commentId": heldId])
        let approved = viewer.next(type: "comment")
        #expect(approved?["text"] as? String == "May I ask?", "the viewer saw nothing before approval")
        #expect(approved?["kind"] as? String == "question" && approved?["state"] as? String == "open")

        #expect(
            try Fixture.request(
                server.port, "PATCH", "/api/events/review",
                body: ["moderation": "open", "blockedWords": ["spam"]], token: hostKey
            ).status == 200)
        asker.send(["type": "comment", "text": "Where do I buy spam?", "nonce": "b", "kind": "question"])
        #expect(asker.next(type: "ack")?["held"] as? Bool == true, "a blocked word holds a question as it holds a comment")
        #expect(host.next(type: "held")?["comment"].flatMap { ($0 as? [String: Any])?["kind"] as? String } == "question")
    }

    @Test func aResumedClientIsToldTheVotesAndStatesItMissed() throws {
        let server = try TestServer()
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "back", capacity: 5)
        let ada = try Fixture.register(server.port, slug: "back", name: "Ada")
        let host = try LiveClient(port: server.port, slug: "back")
        host.join(hostKey: hostKey)
        let asker = try LiveClient(port: server.port, slug: "back")
        asker.join(ticket: ada.code)
        let away = try LiveClient(port: server.port, slug: "back")
        away.join()

        asker.send(["type": "comment", "text": "First question", "nonce": "q1", "kind": "question"])
        let q1 = try #require(Self.id(asker.next(type: "ack")))
        asker.send(["type": "comment", "text": "Second question", "nonce": "q2", "kind": "question"])
        let q2 = try #require(Self.id(asker.next(type: "ack")))
        _ = away.next(type: "comment")
        let lastSeen = try #require(Self.id(away.next(type: "comment")))
        host.send(["type": "answering", "commentId": q1])
        #expect(away.next(type: "question")?["state"] as? String == "answering")
        host.send(["type": "pin", "commentId": q1])
        #expect(Self.commentId(away.next(type: "pinned")) == q1)
        away.ws.socket.shutdownWrite()  // the client drops

        // While it is away: a vote, and the host moves on to the second question.
        host.send(["type": "like", "commentId": q2])
        _ = asker.next(type: "likes")
        host.send(["type": "answering", "commentId": q2])
        _ = asker.next(type: "question")
        _ = asker.next(type: "question")
        host.send(["type": "unpin", "commentId": q1])
        _ = asker.next(type: "unpinned")
        host.send(["type": "pin", "commentId": q2])
        _ = asker.next(type: "pinned")

        let back = try LiveClient(port: server.port, slug: "back")
        let welcome = try #require(back.join(since: lastSeen))
        let questions = welcome["questions"] as? [[String: Any]] ?? []
        let summary = questions.map { "\(Self.commentId($0) ?? 0) \(Self.likes($0) ?? -1) \($0["state"] as? String ?? "")" }
        #expect(summary == ["\(q1) 0 answered", "\(q2) 1 answering"])
        #expect((welcome["answering"] as? NSNumber)?.int64Value == q2)
        #expect((welcome["pinned"] as? [NSNumber])?.map(\.int64Value) == [q2], "the pins as they are now")

        let fresh = try LiveClient(port: server.port, slug: "back")
        let plainWelcome = try #require(fresh.join())
        #expect(plainWelcome["questions"] == nil, "a first join without since reads the archive instead")
    }
}
