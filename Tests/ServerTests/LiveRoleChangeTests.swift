import Foundation
import ServerTesting
import TestSupport
import Testing

/// Issue 14, item 7: live permissions follow the registration and the event, at once, on the open
/// socket: a cancelled ticket stops commenting, a promoted person starts, and viewers of an event
/// that turned private are closed with 1008. Each scenario runs on one node and, where a PostgreSQL
/// server is configured, with the change made on one node and the socket open on the other.
@Suite struct LiveRoleChangeTests {
    /// Where the change is made (`api`) and where the socket is (`live`): the same node, or two.
    struct Nodes {
        let api: Int
        let live: Int
        let stop: () -> Void
    }

    enum Layout: String, CaseIterable, CustomTestStringConvertible {
        case oneNode, twoNodes
        var testDescription: String { self.rawValue }
    }

    static var layouts: [Layout] { TestDatabase.serverURL == nil ? [.oneNode] : Layout.allCases }

    static func nodes(_ layout: Layout) throws -> Nodes {
        switch layout {
        case .oneNode:
            let server = try TestServer()
            return Nodes(api: server.port, live: server.port, stop: server.stop)
        case .twoNodes:
            let nodes = try TwoNodes()
            return Nodes(api: nodes.a.port, live: nodes.b.port, stop: nodes.stop)
        }
    }

    @Test(arguments: Self.layouts)
    func aCancelledTicketBecomesAViewerOnItsOpenSocket(layout: Layout) throws {
        let nodes = try Self.nodes(layout)
        defer { nodes.stop() }
        _ = try Fixture.event(nodes.api, slug: "cancel")
        let ann = try Fixture.register(nodes.api, slug: "cancel", name: "Ann")
        let client = try LiveClient(port: nodes.live, slug: "cancel")
        #expect(client.join(ticket: ann.code)?["role"] as? String == "attendee")
        client.send(["type": "comment", "text": "before", "nonce": "1"])
        let id = try #require((client.next(type: "ack")?["id"] as? NSNumber)?.int64Value)

        #expect(try Fixture.request(nodes.api, "DELETE", "/api/registrations/\(ann.code)").status == 200)
        let role = client.next(type: "role")
        #expect(role?["role"] as? String == "viewer", "\(String(describing: role))")
        #expect(role?["reason"] as? String == "cancelled")
        client.send(["type": "comment", "text": "after", "nonce": "2"])
        let refused = client.next(type: "error")
        #expect(refused?["code"] as? String == "read_only")
        #expect(refused?["nonce"] as? String == "2")
        client.send(["type": "like", "commentId": id])
        #expect(client.next(type: "error")?["code"] as? String == "read_only")
        let archive = try #require(
            try Fixture.request(nodes.api, "GET", "/api/events/cancel/comments").json()["comments"] as? [[String: Any]])
        #expect(archive.map { $0["text"] as? String } == ["before"])
        #expect(archive.first?["likes"] as? Int == 0)
    }

    @Test(arguments: Self.layouts)
    func aCancelledTicketIsClosedWhenThereIsNoPublicViewing(layout: Layout) throws {
        let nodes = try Self.nodes(layout)
        defer { nodes.stop() }
        let hostKey = try Fixture.event(nodes.api, slug: "private")
        #expect(
            try Fixture.request(nodes.api, "PATCH", "/api/events/private", body: ["publicViewing": false], token: hostKey).status == 200)
        let ann = try Fixture.register(nodes.api, slug: "private", name: "Ann")
        let client = try LiveClient(port: nodes.live, slug: "private")
        #expect(client.join(ticket: ann.code)?["role"] as? String == "attendee")
        #expect(try Fixture.request(nodes.api, "DELETE", "/api/registrations/\(ann.code)").status == 200)
        let close = client.ws.receiveClose()
        #expect(close?.code == 1008)
        #expect(close?.reason.contains("cancelled") == true, "\(String(describing: close))")
    }

    @Test(arguments: Self.layouts)
    func aPromotedPersonCommentsWithoutReconnecting(layout: Layout) throws {
        let nodes = try Self.nodes(layout)
        defer { nodes.stop() }
        let hostKey = try Fixture.event(nodes.api, slug: "promote", capacity: 1)
        let ann = try Fixture.register(nodes.api, slug: "promote", name: "Ann")
        let bob = try Fixture.register(nodes.api, slug: "promote", name: "Bob")
        let cy = try Fixture.register(nodes.api, slug: "promote", name: "Cy")
        #expect(bob.status == "waitlisted" && cy.status == "waitlisted")
        let bobLive = try LiveClient(port: nodes.live, slug: "promote")
        #expect(bobLive.join(ticket: bob.code)?["role"] as? String == "viewer")
        let cyLive = try LiveClient(port: nodes.live, slug: "promote")
        #expect(cyLive.join(ticket: cy.code)?["role"] as? String == "viewer")

        // Ann cancels: Bob, first in line, gets her seat in the same transaction.
        #expect(try Fixture.request(nodes.api, "DELETE", "/api/registrations/\(ann.code)").status == 200)
        #expect(bobLive.next(type: "role")?["role"] as? String == "attendee")
        bobLive.send(["type": "comment", "text": "I am in", "nonce": "b"])
        #expect(bobLive.next(type: "ack")?["nonce"] as? String == "b")

        // The host raises the capacity: Cy is promoted too.
        #expect(try Fixture.request(nodes.api, "PATCH", "/api/events/promote", body: ["capacity": 2], token: hostKey).status == 200)
        #expect(cyLive.next(type: "role")?["role"] as? String == "attendee")
        cyLive.send(["type": "comment", "text": "me too", "nonce": "c"])
        #expect(cyLive.next(type: "ack")?["nonce"] as? String == "c")
    }

    @Test(arguments: Self.layouts)
    func turningPublicViewingOffClosesViewersButNotAttendeesOrHosts(layout: Layout) throws {
        let nodes = try Self.nodes(layout)
        defer { nodes.stop() }
        let hostKey = try Fixture.event(nodes.api, slug: "closing", capacity: 1)
        let ann = try Fixture.register(nodes.api, slug: "closing", name: "Ann")
        let bob = try Fixture.register(nodes.api, slug: "closing", name: "Bob")
        let viewer = try LiveClient(port: nodes.live, slug: "closing")
        #expect(viewer.join()?["role"] as? String == "viewer")
        let waiting = try LiveClient(port: nodes.live, slug: "closing")
        #expect(waiting.join(ticket: bob.code)?["role"] as? String == "viewer")
        let attendee = try LiveClient(port: nodes.live, slug: "closing")
        #expect(attendee.join(ticket: ann.code)?["role"] as? String == "attendee")
        let host = try LiveClient(port: nodes.live, slug: "closing")
        #expect(host.join(hostKey: hostKey)?["role"] as? String == "host")

        #expect(
            try Fixture.request(nodes.api, "PATCH", "/api/events/closing", body: ["publicViewing": false], token: hostKey).status == 200)
        for client in [viewer, waiting] {
            let close = client.ws.receiveClose()
            #expect(close?.code == 1008)
            #expect(close?.reason.contains("ticket holders") == true, "\(String(describing: close))")
        }
        attendee.send(["type": "comment", "text": "still here", "nonce": "a"])
        #expect(attendee.next(type: "ack")?["nonce"] as? String == "a")
        #expect(host.next(type: "comment")?["text"] as? String == "still here")
        let late = try LiveClient(port: nodes.live, slug: "closing")
        late.send(["type": "join"])
        #expect(late.next(type: "error")?["code"] as? String == "ticket_required")
    }
}
