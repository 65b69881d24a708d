import Foundation
import ServerTesting
import TestSupport
import Testing

/// Moderation across two nodes on one PostgreSQL database: a host on one node moderates comments
/// posted on the other, and mutes, slow mode and review mode hold on both.
@Suite(.enabled(if: TestDatabase.serverURL != nil, "set BACKCHANNEL_TEST_POSTGRES_URL"))
struct MultiNodeModerationTests {
    static func id(_ message: [String: Any]?) -> Int64? { (message?["id"] as? NSNumber)?.int64Value }
    static func commentId(_ message: [String: Any]?) -> Int64? { (message?["commentId"] as? NSNumber)?.int64Value }

    @Test func aHostOnOneNodeModeratesCommentsFromTheOther() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        let (a, b) = (nodes.a.port, nodes.b.port)
        let hostKey = try Fixture.event(a, slug: "mod", capacity: 5)
        let ada = try Fixture.register(a, slug: "mod", name: "Ada")
        let hostB = try LiveClient(port: b, slug: "mod")
        hostB.join(hostKey: hostKey)
        let attendeeA = try LiveClient(port: a, slug: "mod")
        attendeeA.join(ticket: ada.code)
        let viewerA = try LiveClient(port: a, slug: "mod")
        viewerA.join()

        attendeeA.send(["type": "comment", "text": "first", "nonce": "f"])
        let id = try #require(Self.id(attendeeA.next(type: "ack")))
        #expect(viewerA.next(type: "comment")?["text"] as? String == "first")
        #expect(Self.id(hostB.next(type: "comment")) == id, "the host on B sees the comment from A")

        hostB.send(["type": "pin", "commentId": id])
        #expect(Self.commentId(viewerA.next(type: "pinned")) == id)
        hostB.send(["type": "hide", "commentId": id])
        #expect(Self.commentId(viewerA.next(type: "hidden")) == id)

        // Review mode set through B's API reaches A's room before B's next room message does.
        #expect(try Fixture.request(b, "PATCH", "/api/events/mod", body: ["moderation": "review"], token: hostKey).status == 200)
        hostB.send(["type": "unpin", "commentId": id])
        #expect(Self.commentId(viewerA.next(type: "unpinned")) == id)
        attendeeA.send(["type": "comment", "text": "please review", "nonce": "h"])
        #expect(attendeeA.next(type: "ack")?["held"] as? Bool == true)
        let held = try #require(hostB.next(type: "held")?["comment"] as? [String: Any])
        let heldId = try #require(Self.id(held))
        #expect(held["text"] as? String == "please review", "the held comment from A reaches the host on B")

        hostB.send(["type": "approve", "commentId": heldId])
        let announced = hostB.next()
        #expect(announced?["type"] as? String == "approved", "approved comes before the comment it makes visible")
        #expect(Self.commentId(announced) == heldId)
        #expect(hostB.next()?["text"] as? String == "please review")
        let approved = viewerA.next(type: "comment")
        #expect(approved?["text"] as? String == "please review", "the viewer on A saw nothing before approval")
        #expect((Self.id(approved) ?? 0) > heldId)
    }

    @Test func muteFromOneNodeAndSlowModeFromTheOtherHoldOnBoth() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        let (a, b) = (nodes.a.port, nodes.b.port)
        let hostKey = try Fixture.event(a, slug: "rules", capacity: 5)
        let ada = try Fixture.register(a, slug: "rules", name: "Ada")
        let bob = try Fixture.register(b, slug: "rules", name: "Bob")
        let hostA = try LiveClient(port: a, slug: "rules")
        hostA.join(hostKey: hostKey)
        let hostB = try LiveClient(port: b, slug: "rules")
        hostB.join(hostKey: hostKey)
        let attendeeA = try LiveClient(port: a, slug: "rules")
        attendeeA.join(ticket: ada.code)
        let attendeeB = try LiveClient(port: b, slug: "rules")
        attendeeB.join(ticket: bob.code)

        attendeeA.send(["type": "comment", "text": "hello", "nonce": "1"])
        let hello = try #require(hostB.next(type: "comment"))
        let authorId = try #require(hello["authorId"] as? String)
        let helloId = try #require((hello["id"] as? NSNumber)?.int64Value)

        // Likes from both nodes count on both.
        attendeeB.send(["type": "like", "commentId": helloId])
        #expect((hostA.next(type: "likes")?["likes"] as? NSNumber)?.intValue == 1)
        hostA.send(["type": "like", "commentId": helloId])
        var counts: [Int] = []  // B's own like first, then A's
        while counts.last != 2, let likes = attendeeB.next(type: "likes") {
            counts.append((likes["likes"] as? NSNumber)?.intValue ?? -1)
        }
        #expect(counts == [1, 2])
        hostB.send(["type": "mute", "authorId": authorId, "seconds": 60])
        // `muted` goes to hosts; on A it is published after A's room applied the mute.
        #expect(hostA.next(type: "muted")?["authorId"] as? String == authorId)
        attendeeA.send(["type": "comment", "text": "am I muted", "nonce": "m"])
        let muted = attendeeA.next(type: "error")
        #expect(muted?["code"] as? String == "muted", "a mute set on B holds on A")
        #expect(muted?["nonce"] as? String == "m")

        hostA.send(["type": "slowmode", "seconds": 30])
        #expect((attendeeB.next(type: "slowmode")?["seconds"] as? NSNumber)?.intValue == 30)
        attendeeB.send(["type": "comment", "text": "one", "nonce": "b1"])
        #expect(attendeeB.next(type: "ack")?["nonce"] as? String == "b1")
        attendeeB.send(["type": "comment", "text": "two", "nonce": "b2"])
        #expect(attendeeB.next(type: "error")?["code"] as? String == "slow_mode", "slow mode set on A holds on B")
    }

    @Test func aMuteReachesANodeThatOpensTheRoomLater() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        let (a, b) = (nodes.a.port, nodes.b.port)
        let hostKey = try Fixture.event(a, slug: "late", capacity: 5)
        let ada = try Fixture.register(a, slug: "late", name: "Ada")
        let hostA = try LiveClient(port: a, slug: "late")
        hostA.join(hostKey: hostKey)
        let attendeeA = try LiveClient(port: a, slug: "late")
        attendeeA.join(ticket: ada.code)
        attendeeA.send(["type": "comment", "text": "hello", "nonce": "1"])
        let authorId = try #require(hostA.next(type: "comment")?["authorId"] as? String)
        hostA.send(["type": "mute", "authorId": authorId, "seconds": 300])
        #expect(hostA.next(type: "muted")?["authorId"] as? String == authorId)
        _ = try Fixture.moderationLog(a, slug: "late", hostKey: hostKey, until: "mute")

        // Nobody was in this room on B when the mute was set; Ada now tries there.
        let attendeeB = try LiveClient(port: b, slug: "late")
        #expect(attendeeB.join(ticket: ada.code)?["role"] as? String == "attendee")
        attendeeB.send(["type": "comment", "text": "and here?", "nonce": "2"])
        #expect(attendeeB.next(type: "error")?["code"] as? String == "muted", "B learns the mute from the log")
    }

    /// Hides, pins and a mute made on A while B could not listen reach B's clients once it listens again.
    @Test func hostActionsMissedWhileListeningWasDownAreReplayed() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        let (a, b) = (nodes.a.port, nodes.b.port)
        let hostKey = try Fixture.event(a, slug: "outage", capacity: 5)
        let ada = try Fixture.register(a, slug: "outage", name: "Ada")
        let hostA = try LiveClient(port: a, slug: "outage")
        hostA.join(hostKey: hostKey)
        let attendeeA = try LiveClient(port: a, slug: "outage")
        attendeeA.join(ticket: ada.code)
        let viewerB = try LiveClient(port: b, slug: "outage")
        viewerB.join()
        let attendeeB = try LiveClient(port: b, slug: "outage")
        attendeeB.join(ticket: ada.code)
        for text in ["one", "two"] {
            attendeeA.send(["type": "comment", "text": text, "nonce": text])
            #expect(viewerB.next(type: "comment")?["text"] as? String == text)
        }
        let authorId = try #require(hostA.next(type: "comment")?["authorId"] as? String)

        // The database refuses new connections and both listeners are cut: NOTIFYs now go nowhere.
        try nodes.database.allowConnections(false)
        var reopened = false
        defer { if !reopened { try? nodes.database.allowConnections(true) } }
        #expect(try nodes.database.terminateListeners() == 2)
        hostA.send(["type": "hide", "commentId": 1])
        #expect(Self.commentId(hostA.next(type: "hidden")) == 1)
        hostA.send(["type": "pin", "commentId": 2])
        #expect(Self.commentId(hostA.next(type: "pinned")) == 2)
        hostA.send(["type": "mute", "authorId": authorId, "seconds": 300])
        #expect(hostA.next(type: "muted")?["authorId"] as? String == authorId)
        _ = try Fixture.moderationLog(a, slug: "outage", hostKey: hostKey, until: "mute")
        try nodes.database.allowConnections(true)
        reopened = true

        #expect(Self.commentId(viewerB.next(type: "hidden")) == 1, "B's viewer learns of the hide after the outage")
        #expect(Self.commentId(viewerB.next(type: "pinned")) == 2)
        attendeeB.send(["type": "comment", "text": "still here?", "nonce": "m"])
        #expect(attendeeB.next(type: "error")?["code"] as? String == "muted", "B's room applies the mute it missed")
    }
}

/// A bad or unreachable `--database-url` stops `serve` at start, as bad configuration does.
@Suite struct DatabaseURLTests {
    @Test func anUnreachableDatabaseStopsServeWithStatusTwo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bc-url-\(UUID())")
        let pages = directory.appendingPathComponent("static")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("<!doctype html>".utf8).write(to: pages.appendingPathComponent("index.html"))
        let refused = try UnusedPort()
        let run = try CommandRun.backchannel([
            "serve", "--port", "0", "--database-url", "postgresql://nobody@127.0.0.1:\(refused.port)/none",
            "--data-dir", directory.appendingPathComponent("data").path, "--static-dir", pages.path,
        ])
        #expect(run.status == 2)
        #expect(run.stderr.contains("PostgreSQL"), "\(run.stderr)")
        let bad = try CommandRun.backchannel(["serve", "--port", "0", "--database-url", "mysql://x@y/z"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--database-url: must be a postgresql:// URL"), "\(bad.stderr)")
    }
}
