import Foundation
import ServerTesting
import Testing

/// The host dashboard's per-minute counts.
@Suite struct StatsEndpointTests {
    @Test func theHostSeesRegistrationsCancellationsPromotionsCommentsAndViewers() throws {
        let server = try TestServer()
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "dash", capacity: 1)
        let ada = try Fixture.register(server.port, slug: "dash", name: "Ada")
        let bob = try Fixture.register(server.port, slug: "dash", name: "Bob")
        #expect(try Fixture.request(server.port, "DELETE", "/api/registrations/\(ada.code)").status == 200)
        let author = try LiveClient(port: server.port, slug: "dash")
        author.join(ticket: bob.code)
        for n in 0..<3 {
            author.send(["type": "comment", "text": "comment \(n)", "nonce": "s\(n)"])
            _ = author.next(type: "ack")
        }
        let viewer = try LiveClient(port: server.port, slug: "dash")
        viewer.join()

        #expect(try Fixture.request(server.port, "GET", "/api/events/dash/stats").status == 401)
        #expect([401, 403].contains(try Fixture.request(server.port, "GET", "/api/events/dash/stats", token: bob.code).status))
        let stats = try Fixture.request(server.port, "GET", "/api/events/dash/stats", token: hostKey)
        #expect(stats.status == 200)
        let json = try stats.json()
        let minutes = json["perMinute"] as? [[String: Any]] ?? []
        func total(_ key: String) -> Int { minutes.reduce(0) { $0 + (($1[key] as? Int) ?? 0) } }
        #expect(total("tickets") == 1 && total("waitlisted") == 1 && total("cancelled") == 1 && total("promoted") == 1)
        #expect(total("comments") == 3)
        #expect(json["viewers"] as? Int == 2, "the author and the viewer are watching")
        #expect(json["ticketsIssued"] as? Int == 1 && json["waitlistLength"] as? Int == 0)
        let stamps = minutes.compactMap { $0["minute"] as? String }
        #expect(!stamps.isEmpty && stamps == stamps.sorted() && stamps.allSatisfy { $0.hasSuffix(":00Z") })
    }
}
