import BackchannelServer
import Foundation
import ServerTesting
import Synchronization
import Testing

/// The live room over real WebSockets: join, order, acks, resume, errors.
@Suite struct LiveEndToEndTests {
    @Test func joinMustComeInTimeElse1008() throws {
        let server = try TestServer { $0.joinTimeoutSeconds = 1 }
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "late")
        let client = try LiveClient(port: server.port, slug: "late")
        #expect(client.ws.receiveCloseCode() == 1008)
    }

    @Test func rolesAndJoinErrors() throws {
        let server = try TestServer()
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "roles", capacity: 1)
        let ticketed = try Fixture.register(server.port, slug: "roles", name: "Ada")
        let waiting = try Fixture.register(server.port, slug: "roles", name: "Bob")
        #expect(waiting.status == "waitlisted")

        let viewer = try LiveClient(port: server.port, slug: "roles")
        viewer.send(["type": "comment", "text": "hi", "nonce": "n0"])
        #expect(viewer.next()?["code"] as? String == "not_joined")
        #expect(viewer.join()?["role"] as? String == "viewer")
        viewer.send(["type": "comment", "text": "hi", "nonce": "n1"])
        let readOnly = viewer.next()
        #expect(readOnly?["code"] as? String == "read_only")
        #expect(readOnly?["nonce"] as? String == "n1")

        let bad = try LiveClient(port: server.port, slug: "roles")
        bad.send(["type": "join", "ticket": "not-a-code"])
        #expect(bad.next()?["code"] as? String == "bad_ticket")
        #expect(bad.join(ticket: ticketed.code)?["role"] as? String == "attendee", "a failed join can be retried")

        let waiter = try LiveClient(port: server.port, slug: "roles")
        #expect(waiter.join(ticket: waiting.code)?["role"] as? String == "viewer")
        waiter.send(["type": "comment", "text": "hi", "nonce": "n2"])
        #expect(waiter.next()?["code"] as? String == "not_ticketed")

        let host = try LiveClient(port: server.port, slug: "roles")
        #expect(host.join(hostKey: hostKey)?["role"] as? String == "host")

        bad.send(["type": "comment", "text": "   ", "nonce": "e"])
        #expect(bad.next()?["code"] as? String == "empty")
        bad.send(["type": "comment", "text": String(repeating: "x", count: 2001), "nonce": "t"])
        #expect(bad.next()?["code"] as? String == "too_long")
        bad.ws.send(text: "{broken")
        #expect(bad.next()?["code"] as? String == "bad_message")
        bad.send(["type": "hide", "commentId": 1])
        #expect(bad.next()?["code"] as? String == "forbidden")
        bad.send(["type": "comment", "text": "still here", "nonce": "ok"])
        #expect(bad.next(type: "ack")?["nonce"] as? String == "ok", "errors never close the connection")
    }

    @Test func originFromAnotherSiteIsRefused() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "origin")
        #expect(throws: (any Error).self) { try LiveClient(port: server.port, slug: "origin", origin: "https://evil.example") }
        let same = try LiveClient(port: server.port, slug: "origin", origin: "http://127.0.0.1:\(server.port)")
        #expect(same.join()?["role"] as? String == "viewer")
    }

    @Test func fiftyAttendeesPostConcurrentlyAndEveryoneSeesOneOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "storm", capacity: 50)
        let codes = try (0..<50).map { try Fixture.register(server.port, slug: "storm", name: "P\($0)").code }
        let clients = try codes.map { code in
            let client = try LiveClient(port: server.port, slug: "storm")
            #expect(client.join(ticket: code)?["role"] as? String == "attendee")
            return client
        }
        let perClient = 4
        let total = clients.count * perClient
        let results = Mutex<[[Int64]]>(Array(repeating: [], count: clients.count))
        let acks = Mutex<Int>(0)
        let done = DispatchGroup()
        for (index, client) in clients.enumerated() {
            done.enter()
            Thread {
                defer { done.leave() }
                for n in 0..<perClient {
                    client.send(["type": "comment", "text": "comment \(n) from \(index)", "nonce": "\(index)-\(n)"])
                }
                var ids: [Int64] = []
                var myAcks = 0
                while ids.count < total || myAcks < perClient {
                    guard let message = client.next() else { break }
                    switch message["type"] as? String {
                    case "comment": ids.append((message["id"] as? NSNumber)?.int64Value ?? -1)
                    case "ack": myAcks += 1
                    default: continue
                    }
                }
                results.withLock { $0[index] = ids }
                acks.withLock { $0 += myAcks }
            }.start()
        }
        done.wait()
        let orders = results.withLock { $0 }
        #expect(acks.withLock { $0 } == total, "every author got every ack")
        #expect(orders.allSatisfy { $0.count == total }, "every client got every comment")
        #expect(Set(orders.map { $0.map(String.init).joined(separator: ",") }).count == 1, "one order for all")
        #expect(orders[0] == orders[0].sorted() && Set(orders[0]).count == total, "ids grow strictly")

        let archive = try Fixture.request(server.port, "GET", "/api/events/storm/comments?limit=500")
        let archived = (try archive.json()["comments"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
        #expect(archived == orders[0], "the archive has the same sequence")
    }

    @Test func resumeWhileOthersKeepPostingHasNoGapAndNoDuplicate() throws {
        let server = try TestServer { $0.commentRateLimit = 1000 }
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "resume", capacity: 5)
        let poster = try Fixture.register(server.port, slug: "resume", name: "Poster")
        let other = try Fixture.register(server.port, slug: "resume", name: "Other")
        let writer = try LiveClient(port: server.port, slug: "resume")
        writer.join(ticket: poster.code)
        let writer2 = try LiveClient(port: server.port, slug: "resume")
        writer2.join(ticket: other.code)
        let reader = try LiveClient(port: server.port, slug: "resume")
        reader.join()

        var seen: [Int64] = []
        func post(_ count: Int, from client: LiveClient, tag: String) {
            for n in 0..<count {
                client.send(["type": "comment", "text": "\(tag) \(n)", "nonce": "\(tag)-\(n)"])
                _ = client.next(type: "ack")
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        post(5, from: writer, tag: "before")
        for _ in 0..<5 { if let id = reader.next(type: "comment")?["id"] as? NSNumber { seen.append(id.int64Value) } }
        #expect(seen.count == 5)
        reader.ws.socket.shutdownWrite()  // the reader drops

        let busy = Thread {
            for n in 0..<60 {
                writer2.send(["type": "comment", "text": "during \(n)", "nonce": "d-\(n)"])
                Thread.sleep(forTimeInterval: 0.004)
            }
        }
        busy.start()
        post(40, from: writer, tag: "meanwhile")
        let back = try LiveClient(port: server.port, slug: "resume")
        let welcome = back.join(since: seen.last)
        #expect(welcome?["type"] as? String == "welcome")
        let expectedTotal = 5 + 40 + 60
        while seen.count < expectedTotal, let message = back.next(type: "comment") {
            seen.append((message["id"] as? NSNumber)?.int64Value ?? -1)
        }
        #expect(seen.count == expectedTotal)
        #expect(Set(seen).count == seen.count, "nothing twice")
        #expect(seen == seen.sorted(), "in order")
        #expect(seen == Array(1...Int64(expectedTotal)), "no gap")
    }

    @Test func moderationActionsReachEveryone() throws {
        let server = try TestServer()
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "mod", capacity: 5)
        let ada = try Fixture.register(server.port, slug: "mod", name: "Ada")
        let host = try LiveClient(port: server.port, slug: "mod")
        host.join(hostKey: hostKey)
        let attendee = try LiveClient(port: server.port, slug: "mod")
        attendee.join(ticket: ada.code)
        let viewer = try LiveClient(port: server.port, slug: "mod")
        viewer.join()

        attendee.send(["type": "comment", "text": "first", "nonce": "a"])
        let id = try #require((attendee.next(type: "ack")?["id"] as? NSNumber)?.int64Value)
        #expect(viewer.next(type: "comment")?["text"] as? String == "first")

        attendee.send(["type": "comment", "text": "a reply", "nonce": "r", "replyTo": id])
        #expect((viewer.next(type: "comment")?["replyTo"] as? NSNumber)?.int64Value == id)
        attendee.send(["type": "comment", "text": "bad reply", "nonce": "br", "replyTo": 999])
        #expect(attendee.next(type: "error")?["code"] as? String == "bad_reply")

        attendee.send(["type": "like", "commentId": id])
        #expect((viewer.next(type: "likes")?["likes"] as? NSNumber)?.intValue == 1)
        attendee.send(["type": "like", "commentId": id])
        #expect(attendee.next(type: "error")?["code"] as? String == "already_liked")

        host.send(["type": "pin", "commentId": id])
        #expect((viewer.next(type: "pinned")?["commentId"] as? NSNumber)?.int64Value == id)
        host.send(["type": "hide", "commentId": id, "reason": String(repeating: "x", count: 201)])
        #expect(host.next(type: "error")?["code"] as? String == "bad_message", "a reason past 200 characters is refused")
        host.send(["type": "hide", "commentId": id, "reason": "  Advertising  "])
        #expect((viewer.next(type: "hidden")?["commentId"] as? NSNumber)?.int64Value == id)
        let publicArchive = try Fixture.request(server.port, "GET", "/api/events/mod/comments")
        #expect(!publicArchive.text.contains("\"first\""), "hidden comments leave the public archive")
        let hostArchive = try Fixture.request(server.port, "GET", "/api/events/mod/comments?all=1", token: hostKey)
        #expect(hostArchive.text.contains("\"first\""), "hosts still see them")

        // Review mode: held comments reach hosts only, until approved (with a new id).
        #expect(try Fixture.request(server.port, "PATCH", "/api/events/mod", body: ["moderation": "review"], token: hostKey).status == 200)
        attendee.send(["type": "comment", "text": "please review", "nonce": "h"])
        let held = try #require(host.next(type: "held")?["comment"] as? [String: Any])
        let heldId = try #require((held["id"] as? NSNumber)?.int64Value)
        host.send(["type": "approve", "commentId": heldId])
        let approved = viewer.next(type: "comment")
        #expect(approved?["text"] as? String == "please review", "the viewer saw nothing before approval")
        #expect(((approved?["id"] as? NSNumber)?.int64Value ?? 0) > heldId)

        // Mute and slow mode.
        #expect(try Fixture.request(server.port, "PATCH", "/api/events/mod", body: ["moderation": "open"], token: hostKey).status == 200)
        host.send(["type": "mute", "authorId": held["authorId"] as? String ?? "", "seconds": 60])
        _ = host.next(type: "muted")
        attendee.send(["type": "comment", "text": "am I muted", "nonce": "m"])
        let muted = attendee.next(type: "error")
        #expect(muted?["code"] as? String == "muted")
        #expect(muted?["nonce"] as? String == "m")

        // The log is written by the comment writer just behind the action (a mute takes effect at once).
        let entries = try Fixture.moderationLog(server.port, slug: "mod", hostKey: hostKey, until: "mute")
        let actions = entries.compactMap { $0["action"] as? String }
        #expect(actions.contains("pin") && actions.contains("hide") && actions.contains("approve") && actions.contains("mute"))
        let hides = entries.filter { $0["action"] as? String == "hide" }
        #expect(hides.map { $0["detail"] as? String } == ["Advertising"], "one hide, with the reason the host gave")
    }

    @Test func slowModeLimitsAttendeesNotHosts() throws {
        let server = try TestServer()
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "slow", capacity: 5)
        let ada = try Fixture.register(server.port, slug: "slow", name: "Ada")
        let host = try LiveClient(port: server.port, slug: "slow")
        host.join(hostKey: hostKey)
        let attendee = try LiveClient(port: server.port, slug: "slow")
        attendee.join(ticket: ada.code)
        host.send(["type": "slowmode", "seconds": 30])
        #expect((attendee.next(type: "slowmode")?["seconds"] as? NSNumber)?.intValue == 30)
        attendee.send(["type": "comment", "text": "one", "nonce": "1"])
        _ = attendee.next(type: "ack")
        attendee.send(["type": "comment", "text": "two", "nonce": "2"])
        #expect(attendee.next(type: "error")?["code"] as? String == "slow_mode")
        host.send(["type": "comment", "text": "host 1", "nonce": "h1"])
        host.send(["type": "comment", "text": "host 2", "nonce": "h2"])
        #expect(host.next(type: "ack") != nil && host.next(type: "ack") != nil)
    }

    @Test func presenceCountsViewers() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "presence")
        let first = try LiveClient(port: server.port, slug: "presence")
        #expect((first.join()?["viewers"] as? NSNumber)?.intValue == 1)
        let second = try LiveClient(port: server.port, slug: "presence")
        #expect((second.join()?["viewers"] as? NSNumber)?.intValue == 2)
        #expect((first.next(type: "presence")?["viewers"] as? NSNumber)?.intValue == 2)
    }
}
