import BackchannelServer
import Foundation
import ServerTesting
import Store
import Testing
import Webinar

/// Secrets the server hands out carry their kind's prefix (`bch_host_…`, `bch_t_…`, `bch_admin_…`),
/// and secrets from before the prefixes keep working.
@Suite struct SecretFormatTests {
    @Test func hostKeysAndTicketCodesArePrefixedAndWorkInURLs() throws {
        let server = try TestServer { $0.staticDirectory = PackagePaths.staticDirectory }
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let hostKey = try Fixture.event(server.port, slug: "prefixed", capacity: 5)
        #expect(SecretCode.looksLike(hostKey, kind: .hostKey), "\(hostKey)")
        let registered = try api.register(slug: "prefixed", name: "Ann", email: "ann@example.com")
        let code = try #require(try registered.json()["code"] as? String)
        #expect(SecretCode.looksLike(code, kind: .ticketCode), "\(code)")
        #expect(try api.request("GET", "/tickets/\(code)").status == 200, "the ticket page")
        #expect(try api.request("GET", "/api/registrations/\(code)").status == 200)
        #expect(try api.request("PATCH", "/api/events/prefixed", json: ["capacity": 6], token: hostKey).status == 200)
    }

    @Test func secretsMadeBeforeThePrefixesStillVerify() throws {
        let legacyAdmin = "-" + SecretCode.generate(byteCount: 32).dropFirst()  // unprefixed, and long enough (issue 14)
        let legacyHostKey = "-" + SecretCode.generate(byteCount: 32).dropFirst()
        let store = InMemoryStore()
        _ = try store.createEvent(
            NewEvent(slug: "legacy", title: "Legacy", startsAt: Date().addingTimeInterval(86_400), capacity: 5),
            hostKeyHash: HostKeys.hash(legacyHostKey), now: Date())
        let server = try TestServer(store: store) { $0.adminToken = legacyAdmin }
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        #expect(try api.request("PATCH", "/api/events/legacy", json: ["capacity": 6], token: legacyHostKey).status == 200)
        #expect(try api.request("PATCH", "/api/events/legacy", json: ["capacity": 7], token: legacyAdmin).status == 200)
        #expect(try api.request("PATCH", "/api/events/legacy", json: ["capacity": 8], token: "bch_host_x").status == 403)
    }

    @Test func aGeneratedAdminTokenIsPrefixed() throws {
        let directory = try TestFolder.make("backchannel-admin")
        defer { TestFolder.remove(directory) }
        let server = try ServerProcess(
            dataDirectory: directory.appendingPathComponent("data"), environment: ["BACKCHANNEL_ADMIN_TOKEN": ""])
        defer { server.stop() }
        let token = try #require(
            server.log.split(separator: "\n").first { $0.contains("admin token") }?.split(separator: " ").last.map(String.init),
            "\(server.log)")
        #expect(SecretCode.looksLike(token, kind: .adminToken), "\(server.log)")
        let api = try APIClient(port: server.port)
        let created = try api.request(
            "POST", "/api/events", json: ["slug": "a", "title": "A", "startsAt": "2030-01-01T00:00:00Z", "capacity": 1], token: token)
        #expect(created.status == 201)
    }
}
