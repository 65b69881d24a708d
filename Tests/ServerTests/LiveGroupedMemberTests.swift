import Foundation
import ServerTesting
import Testing

@testable import BackchannelServer

/// A member live for longer than `LiveContext.promoteAfterMilliseconds` gets the room's frames
/// through its loop's broadcast group, no longer one by one; everything else the room tells its
/// members (issue 14's permission changes) must still reach it, in order with the frames.
@Suite struct LiveGroupedMemberTests {
    static func waitForPromotion() {
        Thread.sleep(forTimeInterval: Double(LiveContext.promoteAfterMilliseconds) / 1000 + 0.5)
    }

    @Test func permissionChangesReachMembersInABroadcastGroup() throws {
        let server = try TestServer()
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "grouped", capacity: 1)
        let ann = try Fixture.register(server.port, slug: "grouped", name: "Ann")
        let viewer = try LiveClient(port: server.port, slug: "grouped")
        #expect(viewer.join()?["role"] as? String == "viewer")
        let attendee = try LiveClient(port: server.port, slug: "grouped")
        #expect(attendee.join(ticket: ann.code)?["role"] as? String == "attendee")
        Self.waitForPromotion()

        attendee.send(["type": "comment", "text": "through the group", "nonce": "1"])
        #expect(attendee.next(type: "ack")?["nonce"] as? String == "1")
        #expect(viewer.next(type: "comment")?["text"] as? String == "through the group")

        // Public viewing off: the viewer is closed, the attendee stays and still gets the room.
        #expect(
            try Fixture.request(server.port, "PATCH", "/api/events/grouped", body: ["publicViewing": false], token: hostKey).status == 200)
        let close = viewer.ws.receiveClose()
        #expect(close?.code == 1008)
        #expect(close?.reason.contains("ticket holders") == true, "\(String(describing: close))")
        attendee.send(["type": "comment", "text": "still here", "nonce": "2"])
        #expect(attendee.next(type: "ack")?["nonce"] as? String == "2")

        // Ann's ticket cancelled on an event for ticket holders only: her socket is closed too.
        #expect(try Fixture.request(server.port, "DELETE", "/api/registrations/\(ann.code)").status == 200)
        let cancelled = attendee.ws.receiveClose()
        #expect(cancelled?.code == 1008)
        #expect(cancelled?.reason.contains("cancelled") == true, "\(String(describing: cancelled))")
    }

    @Test func aCancelledTicketInABroadcastGroupBecomesAViewerAfterTheCommentsBeforeIt() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "grouped-cancel")
        let ann = try Fixture.register(server.port, slug: "grouped-cancel", name: "Ann")
        let bob = try Fixture.register(server.port, slug: "grouped-cancel", name: "Bob")
        let annLive = try LiveClient(port: server.port, slug: "grouped-cancel")
        #expect(annLive.join(ticket: ann.code)?["role"] as? String == "attendee")
        let bobLive = try LiveClient(port: server.port, slug: "grouped-cancel")
        #expect(bobLive.join(ticket: bob.code)?["role"] as? String == "attendee")
        Self.waitForPromotion()

        bobLive.send(["type": "comment", "text": "before", "nonce": "b"])
        #expect(bobLive.next(type: "ack")?["nonce"] as? String == "b")
        #expect(try Fixture.request(server.port, "DELETE", "/api/registrations/\(ann.code)").status == 200)
        // The comment went out before the change: Ann sees it first, then her new role.
        #expect(annLive.next()?["text"] as? String == "before")
        let role = annLive.next()
        #expect(role?["type"] as? String == "role" && role?["role"] as? String == "viewer", "\(String(describing: role))")
        annLive.send(["type": "comment", "text": "after", "nonce": "a"])
        #expect(annLive.next(type: "error")?["code"] as? String == "read_only")
    }
}
