import Foundation
import ServerTesting
import TestSupport
import Testing

/// An event's time zone through the API: set at creation, shown to everyone, changed or removed by the
/// host, refused when unknown, and used by the mail people receive (here the `.eml` default).
@Suite struct EventTimeZoneTests {
    @Test func aHostsTimeZoneReachesTheEventAndItsMail() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let hostKey = try api.createEvent(slug: "zoned", capacity: 5, extra: ["timeZone": "America/New_York"])
        #expect(try api.event("zoned")["timeZone"] as? String == "America/New_York")

        let unknown = try api.request("PATCH", "/api/events/zoned", json: ["timeZone": "Mars/Olympus"], token: hostKey)
        #expect(unknown.status == 422)
        let error = try unknown.json()["error"] as? [String: Any]
        #expect(error?["code"] as? String == "invalid_field")
        #expect((error?["message"] as? String)?.contains("IANA name such as Europe/Berlin") == true)
        #expect(try api.event("zoned")["timeZone"] as? String == "America/New_York", "a refused change keeps the zone")

        #expect(try api.register(slug: "zoned", name: "Ada", email: "ada@example.org").status == 201)
        let text = try Self.firstMailText(server)
        // 14:00 UTC on 28 November 2030 is 09:00 in New York (EST), and both are said.
        #expect(text.contains("Thursday, 28 November 2030, 09:00 America/New_York (14:00 UTC)"), "\(text)")

        let removed = try api.request("PATCH", "/api/events/zoned", json: ["timeZone": NSNull()], token: hostKey)
        #expect(removed.status == 200)
        #expect(try api.event("zoned")["timeZone"] is NSNull)
        let noZone = try api.request(
            "POST", "/api/events", json: ["slug": "plain", "title": "Plain", "startsAt": "2030-11-28T14:00:00Z", "capacity": 1],
            token: APIClient.adminToken)
        #expect(try noZone.json()["timeZone"] is NSNull, "an event without a zone says so: null")
    }

    /// The plain-text part of the first `.eml` in data/outbox, quoted-printable decoded.
    static func firstMailText(_ server: TestServer) throws -> String {
        let folder = server.directory.appendingPathComponent("data/outbox")
        var files: [URL] = []
        let deadline = Date().addingTimeInterval(10)
        while files.isEmpty && Date() < deadline {
            files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "eml" }
            if files.isEmpty { usleep(50_000) }
        }
        let raw = try String(contentsOf: try #require(files.first), encoding: .utf8)
        return QuotedPrintableDecoding.decode(raw)
    }
}
