import Foundation
import ServerTesting
import Synchronization
import TestSupport
import Testing

/// Two server nodes on one PostgreSQL database behave as one server: comments from both reach every
/// viewer on both, once each, in one order; a viewer can resume on the other node.
@Suite(.enabled(if: TestDatabase.serverURL != nil, "set BACKCHANNEL_TEST_POSTGRES_URL"))
struct MultiNodeCommentTests {
    static func id(_ message: [String: Any]?) -> Int64? { (message?["id"] as? NSNumber)?.int64Value }

    @Test func attendeesOnBothNodesPostAndEveryViewerSeesOneOrder() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        _ = try Fixture.event(nodes.a.port, slug: "storm", capacity: 20)
        let ports = [nodes.a.port, nodes.b.port]
        let attendees = try (0..<20).map { index in
            let code = try Fixture.register(ports[index % 2], slug: "storm", name: "P\(index)").code
            let client = try LiveClient(port: ports[index % 2], slug: "storm")
            #expect(client.join(ticket: code)?["role"] as? String == "attendee")
            return client
        }
        let viewers = try (0..<4).map { index in
            let client = try LiveClient(port: ports[index % 2], slug: "storm")
            #expect(client.join()?["role"] as? String == "viewer")
            return client
        }
        let perAttendee = 10
        let total = attendees.count * perAttendee
        let orders = Shared<[Int: [Int64]]>([:])
        let acks = Shared(0)
        let clients = attendees + viewers
        Concurrently.run(threads: clients.count) { index in
            let client = clients[index]
            let posts = index < attendees.count ? perAttendee : 0
            for n in 0..<posts {
                client.send(["type": "comment", "text": "comment \(n) from \(index)", "nonce": "\(index)-\(n)"])
            }
            var ids: [Int64] = []
            var myAcks = 0
            while ids.count < total || myAcks < posts {
                guard let message = client.next() else { break }
                switch message["type"] as? String {
                case "comment": ids.append(Self.id(message) ?? -1)
                case "ack": myAcks += 1
                default: continue
                }
            }
            orders.update { $0[index] = ids }
            acks.update { $0 += myAcks }
        }
        let all = orders.value
        #expect(acks.value == total, "every author got every ack")
        #expect(
            all.count == clients.count && all.values.allSatisfy { $0 == Array(1...Int64(total)) },
            "every client on both nodes got ids 1…\(total), once each, in order")
        for port in ports {
            let archive = try Fixture.request(port, "GET", "/api/events/storm/comments?limit=500")
            let ids = (try archive.json()["comments"] as? [[String: Any]] ?? []).compactMap { Self.id($0) }
            #expect(ids == Array(1...Int64(total)), "the archive on port \(port) has the same sequence")
        }
    }

    @Test func aViewerDroppingFromOneNodeResumesOnTheOtherWithNoGap() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        _ = try Fixture.event(nodes.a.port, slug: "resume", capacity: 5)
        let onA = try Fixture.register(nodes.a.port, slug: "resume", name: "Ada")
        let onB = try Fixture.register(nodes.b.port, slug: "resume", name: "Bob")
        let writerA = try LiveClient(port: nodes.a.port, slug: "resume")
        writerA.join(ticket: onA.code)
        let writerB = try LiveClient(port: nodes.b.port, slug: "resume")
        writerB.join(ticket: onB.code)
        let reader = try LiveClient(port: nodes.a.port, slug: "resume")
        reader.join()

        @Sendable func post(_ count: Int, from client: LiveClient, tag: String, pause: TimeInterval) {
            for n in 0..<count {
                client.send(["type": "comment", "text": "\(tag) \(n)", "nonce": "\(tag)-\(n)"])
                Thread.sleep(forTimeInterval: pause)
            }
        }
        post(5, from: writerA, tag: "before", pause: 0.002)
        var seen: [Int64] = []
        for _ in 0..<5 { if let id = Self.id(reader.next(type: "comment")) { seen.append(id) } }
        #expect(seen == [1, 2, 3, 4, 5])
        reader.ws.socket.shutdownWrite()  // the reader drops from A

        let busyA = Thread { post(50, from: writerA, tag: "a", pause: 0.004) }
        let busyB = Thread { post(50, from: writerB, tag: "b", pause: 0.004) }
        busyA.start()
        busyB.start()
        Thread.sleep(forTimeInterval: 0.08)
        let back = try LiveClient(port: nodes.b.port, slug: "resume")
        #expect(back.join(since: seen.last)?["type"] as? String == "welcome")
        let expectedTotal = 105
        while seen.count < expectedTotal, let message = back.next(type: "comment") {
            seen.append(Self.id(message) ?? -1)
        }
        #expect(seen == Array(1...Int64(expectedTotal)), "the whole sequence, nothing twice, no gap")
    }

    @Test func aNodeWhoseListeningConnectionDropsCatchesUp() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        _ = try Fixture.event(nodes.a.port, slug: "drop", capacity: 5)
        let ada = try Fixture.register(nodes.a.port, slug: "drop", name: "Ada")
        let writer = try LiveClient(port: nodes.a.port, slug: "drop")
        writer.join(ticket: ada.code)
        let viewerB = try LiveClient(port: nodes.b.port, slug: "drop")
        viewerB.join()
        writer.send(["type": "comment", "text": "before", "nonce": "0"])
        #expect(Self.id(viewerB.next(type: "comment")) == 1)

        // Both nodes lose their listening connection; what is posted meanwhile still arrives, in order.
        #expect(try nodes.database.terminateListeners() == 2)
        for n in 1...20 {
            writer.send(["type": "comment", "text": "during \(n)", "nonce": "\(n)"])
        }
        var seen: [Int64] = []
        while seen.count < 20, let message = viewerB.next(type: "comment") { seen.append(Self.id(message) ?? -1) }
        #expect(seen == Array(2...21))
    }

    @Test func presenceIsTheSumOverNodes() throws {
        let nodes = try TwoNodes()
        defer { nodes.stop() }
        _ = try Fixture.event(nodes.a.port, slug: "crowd", capacity: 5)
        let ports = [nodes.a.port, nodes.a.port, nodes.a.port, nodes.b.port, nodes.b.port]
        let viewers = try ports.map { port in
            let client = try LiveClient(port: port, slug: "crowd")
            client.join()
            return client
        }
        for (index, viewer) in viewers.enumerated() {
            var last = -1
            while last != 5, let message = viewer.next(type: "presence") {
                last = (message["viewers"] as? NSNumber)?.intValue ?? -1
            }
            #expect(last == 5, "viewer \(index) on port \(ports[index]) sees both nodes' viewers")
        }
    }
}
