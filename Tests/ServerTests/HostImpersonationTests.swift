import Foundation
import ServerTesting
import Testing

/// Issue 14, item 6: nobody can pass for the host. Names that read as a reserved word are refused,
/// and the host's and the admin's comments carry `role` everywhere a comment is shown.
@Suite struct HostImpersonationTests {
    @Test(arguments: [
        "Host", "host", "HOST", "  Admin ", "Moderator", "Backchannel", "H\u{43E}st", "\u{41D}\u{43E}\u{455}\u{442}",
        "Ηοѕτ", "Ｈｏｓｔ", "H o s t", "h0st", "Adm1n", "The Host", "Host 🎤", "Ho\u{200D}st",
    ])
    func aNameThatReadsAsAReservedWordIs422(name: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "roles", capacity: 5)
        let response = try api.register(slug: "roles", name: name, email: "someone@example.com")
        RegistrationErrorTests.expectError(response, 422, "invalid_field")
        #expect(response.text.contains("name"), "\(response.text)")
        #expect(try api.event("roles").int("ticketsIssued") == 0)
    }

    @Test(arguments: ["Ghost Writer", "Hostetler", "Adam Inman", "Moderna Fan", "Bob"])
    func namesThatMerelyContainTheLettersAreFine(name: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "fine", capacity: 5)
        #expect(try api.register(slug: "fine", name: name, email: "someone@example.com").status == 201)
    }

    @Test func hostAndAdminCommentsCarryTheirRoleLiveInTheArchiveAndInExports() throws {
        let server = try TestServer()
        defer { server.stop() }
        let port = server.port
        let hostKey = try Fixture.event(port, slug: "badge")
        let ann = try Fixture.register(port, slug: "badge", name: "Ann")
        let viewer = try LiveClient(port: port, slug: "badge")
        viewer.join()
        let host = try LiveClient(port: port, slug: "badge")
        #expect(host.join(hostKey: hostKey)?["role"] as? String == "host")
        let admin = try LiveClient(port: port, slug: "badge")
        admin.join(hostKey: Fixture.adminToken)
        let attendee = try LiveClient(port: port, slug: "badge")
        attendee.join(ticket: ann.code)

        host.send(["type": "comment", "text": "welcome", "nonce": "h"])
        admin.send(["type": "comment", "text": "from the admin", "nonce": "a"])
        attendee.send(["type": "comment", "text": "hi", "nonce": "t"])
        var live: [String: String] = [:]
        for _ in 0..<3 {
            let comment = try #require(viewer.next(type: "comment"))
            let text = try #require(comment["text"] as? String)
            #expect(comment.keys.contains("role"), "every live comment says its role: \(comment)")
            live[text] = comment["role"] as? String ?? "null"
        }
        #expect(live == ["welcome": "host", "from the admin": "admin", "hi": "null"], "an attendee's comment has role null")

        let archive = try #require(try Fixture.request(port, "GET", "/api/events/badge/comments").json()["comments"] as? [[String: Any]])
        let roles = Dictionary(uniqueKeysWithValues: archive.map { ($0["text"] as? String ?? "", $0["role"] as? String ?? "null") })
        #expect(roles == ["welcome": "host", "from the admin": "admin", "hi": "null"])
        let csv = try Fixture.request(port, "GET", "/api/events/badge/comments?format=csv").text
        #expect(csv.hasPrefix("id,replyTo,authorId,author,text,likes,pinned,createdAt,role\r\n"), "\(csv)")
        #expect(csv.contains(",welcome,0,false,") && csv.contains(",host\r\n"), "\(csv)")
    }
}
