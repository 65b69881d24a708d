import Foundation
import ServerTesting
import Testing

/// Issue 14, item 8: an event without public viewing keeps its comments to ticket holders and hosts,
/// in the archive API and in its downloads alike.
@Suite struct PrivateArchiveTests {
    static let paths = [
        "/api/events/closed/comments", "/api/events/closed/comments?after=0&limit=10",
        "/api/events/closed/comments?format=csv", "/api/events/closed/comments?format=json",
    ]

    @Test func readingTheArchiveOfAPrivateEventNeedsATicketOrTheHostKey() throws {
        let server = try TestServer()
        defer { server.stop() }
        let port = server.port
        let api = try APIClient(port: port)
        let hostKey = try api.createEvent(slug: "closed", capacity: 1, extra: ["publicViewing": false])
        let ann = try Fixture.register(port, slug: "closed", name: "Ann")
        let bob = try Fixture.register(port, slug: "closed", name: "Bob")
        #expect(bob.status == "waitlisted")
        let client = try LiveClient(port: port, slug: "closed")
        client.join(ticket: ann.code)
        client.send(["type": "comment", "text": "members only", "nonce": "1"])
        #expect(client.next(type: "ack") != nil)

        for path in Self.paths {
            // On main each of these answered 200 with the comment to anyone.
            let anonymous = try api.request("GET", path)
            RegistrationErrorTests.expectError(anonymous, 401, "ticket_required")
            #expect(anonymous.header("WWW-Authenticate") == "Bearer")
            #expect(!anonymous.text.contains("members only"))
            RegistrationErrorTests.expectError(
                try api.request("GET", path, token: "bch_t_" + String(repeating: "x", count: 22)), 403, "forbidden")
            RegistrationErrorTests.expectError(try api.request("GET", path, token: bob.code), 403, "not_ticketed")
            for token in [ann.code, hostKey, APIClient.adminToken] {
                let allowed = try api.request("GET", path, token: token)
                #expect(allowed.status == 200, "\(path): \(allowed.status) \(allowed.text)")
                #expect(allowed.text.contains("members only"), "\(path)")
            }
        }
        // A ticket of another event opens nothing here.
        try api.createEvent(slug: "elsewhere", capacity: 5)
        let stranger = try Fixture.register(port, slug: "elsewhere", name: "Cy")
        RegistrationErrorTests.expectError(try api.request("GET", Self.paths[0], token: stranger.code), 403, "forbidden")
        // A cancelled ticket no longer opens the archive.
        #expect(try api.request("DELETE", "/api/registrations/\(ann.code)").status == 200)
        RegistrationErrorTests.expectError(try api.request("GET", Self.paths[0], token: ann.code), 403, "forbidden")
    }

    @Test func aPublicArchiveStaysOpenAndTurnsPrivateWithTheEvent() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let hostKey = try api.createEvent(slug: "closed", capacity: 5)
        for path in Self.paths {
            #expect(try api.request("GET", path).status == 200, "\(path)")
        }
        #expect(try api.request("PATCH", "/api/events/closed", json: ["publicViewing": false], token: hostKey).status == 200)
        RegistrationErrorTests.expectError(try api.request("GET", Self.paths[0]), 401, "ticket_required")
    }
}
