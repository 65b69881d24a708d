import Foundation
import ServerTesting
import Testing

/// Every error of the contract for events and registrations, from the outside: status AND code,
/// always the `{"error": {"code", "message"}}` shape with a message a person can act on.
@Suite struct RegistrationErrorTests {
    /// Asserts the status, the code and the contract's error shape.
    static func expectError(
        _ response: TestResponse, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.errorCode == code, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        let message = ((try? response.json())?["error"] as? [String: Any])?["message"] as? String
        #expect(message?.isEmpty == false, "an error carries a message", sourceLocation: sourceLocation)
    }

    static var validEvent: [String: Any] { ["title": "Errors", "startsAt": "2030-01-01T10:00:00Z", "capacity": 10] }

    static func event(_ changes: [String: Any]) -> [String: Any] {
        var body = Self.validEvent
        for (key, value) in changes { body[key] = value }
        return body
    }

    @Test func brokenJSONIs400() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "json", capacity: 5)
        for body in [#"{"name": "Ann", "email": "#, "not json at all", #"["name", "email"]"#, "\"just a string\"", ""] {
            let response = try api.request("POST", "/api/events/json/registrations", body: body)
            Self.expectError(response, 400, "bad_json")
        }
        Self.expectError(try api.request("POST", "/api/events", body: "{title:", token: APIClient.adminToken), 400, "bad_json")
        Self.expectError(
            try api.request("PATCH", "/api/events/json", body: "{\"capacity\": }", token: APIClient.adminToken), 400, "bad_json")
        #expect(try api.event("json").int("ticketsIssued") == 0)
    }

    @Test(arguments: [
        // wrong types
        (#"{"name": 5, "email": "a@example.com"}"#, "name"),
        (#"{"name": "Ann", "email": ["a@example.com"]}"#, "email"),
        (#"{"name": null, "email": "a@example.com"}"#, "name"),
        (#"{"email": "a@example.com"}"#, "name"),
        (#"{"name": "Ann"}"#, "email"),
        // invalid names
        (#"{"name": "", "email": "a@example.com"}"#, "name"),
        (#"{"name": "   ", "email": "a@example.com"}"#, "name"),
        (#"{"name": "Ann\nBob", "email": "a@example.com"}"#, "name"),
        (#"{"name": "Ann\u0007", "email": "a@example.com"}"#, "name"),
        ("{\"name\": \"\(String(repeating: "x", count: 201))\", \"email\": \"a@example.com\"}", "name"),
        // invalid emails
        (#"{"name": "Ann", "email": "ann"}"#, "email"),
        (#"{"name": "Ann", "email": "ann@localhost"}"#, "email"),
        (#"{"name": "Ann", "email": "ann@@example.com"}"#, "email"),
        (#"{"name": "Ann", "email": "@example.com"}"#, "email"),
        (#"{"name": "Ann", "email": "an n@example.com"}"#, "email"),
        (#"{"name": "Ann", "email": "ann@example..com"}"#, "email"),
        ("{\"name\": \"Ann\", \"email\": \"\(String(repeating: "a", count: 250))@example.com\"}", "email"),
    ])
    func invalidRegistrationFieldsAre422(body: String, field: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "fields", capacity: 5)
        let response = try api.request("POST", "/api/events/fields/registrations", body: body)
        Self.expectError(response, 422, "invalid_field")
        let message = (try response.json()["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.lowercased().contains(field), "the message names the field at fault: \(message)")
        #expect(try api.event("fields").int("ticketsIssued") == 0, "nothing was registered")
    }

    @Test func invalidEventFieldsAre422() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let cases: [[String: Any]] = [
            Self.event(["slug": "Bad Slug"]),
            Self.event(["slug": "-leading-dash"]),
            Self.event(["slug": String(repeating: "a", count: 65)]),
            Self.event(["slug": 12]),
            Self.event(["capacity": 0]),
            Self.event(["capacity": -5]),
            Self.event(["capacity": 1_000_001]),
            Self.event(["capacity": "ten"]),
            Self.event(["capacity": 2.5]),
            Self.event(["capacity": true]),
            Self.event(["title": ""]),
            Self.event(["title": 7]),
            Self.event(["startsAt": "tomorrow"]),
            Self.event(["startsAt": "2030-02-30T10:00:00Z"]),
            Self.event(["startsAt": "2030-01-01 10:00"]),
            Self.event(["endsAt": "2029-12-31T10:00:00Z"]),
            Self.event(["endsAt": "2030-01-01T10:00:00Z"]),
            Self.event(["moderation": "strict"]),
            Self.event(["publicViewing": "yes"]),
            ["title": "No start", "capacity": 10],
            ["title": "No capacity", "startsAt": "2030-01-01T10:00:00Z"],
        ]
        for body in cases {
            let response = try api.request("POST", "/api/events", json: body, token: APIClient.adminToken)
            #expect(response.status == 422, "\(body) → \(response.status) \(response.text)")
            #expect(response.errorCode == "invalid_field", "\(body) → \(response.text)")
        }
        let list = try api.request("GET", "/api/events")
        #expect(try (list.json()["events"] as? [Any])?.isEmpty == true, "no invalid event was created")

        // The same rules hold for PATCH.
        let hostKey = try api.createEvent(slug: "patchme", capacity: 5)
        let patches: [[String: Any]] = [
            ["capacity": 0], ["capacity": "many"], ["startsAt": "soon"], ["endsAt": "2000-01-01T00:00:00Z"],
            ["registrationOpen": "no"], ["title": ""], ["moderation": "loud"],
        ]
        for patch in patches {
            let response = try api.request("PATCH", "/api/events/patchme", json: patch, token: hostKey)
            #expect(response.status == 422, "\(patch) → \(response.status) \(response.text)")
            #expect(response.errorCode == "invalid_field", "\(patch) → \(response.text)")
        }
        #expect(try api.event("patchme").int("capacity") == 5)

        // A taken slug is a conflict, not a validation error.
        let taken = try api.request("POST", "/api/events", json: Self.event(["slug": "patchme"]), token: APIClient.adminToken)
        Self.expectError(taken, 409, "slug_taken")
    }

    @Test func unknownEventsAndCodesAre404() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let admin = APIClient.adminToken
        Self.expectError(try api.request("GET", "/api/events/no-such-event"), 404, "event_not_found")
        Self.expectError(try api.register(slug: "no-such-event", name: "Ann", email: "ann@example.com"), 404, "event_not_found")
        Self.expectError(try api.request("PATCH", "/api/events/no-such-event", json: ["capacity": 3], token: admin), 404, "event_not_found")
        Self.expectError(try api.request("GET", "/api/events/no-such-event/registrations", token: admin), 404, "event_not_found")
        let unknownCode = "AAAAAAAAAAAAAAAAAAAAAA"
        Self.expectError(try api.request("GET", "/api/registrations/\(unknownCode)"), 404, "registration_not_found")
        Self.expectError(try api.request("DELETE", "/api/registrations/\(unknownCode)"), 404, "registration_not_found")
        Self.expectError(try api.request("GET", "/api/registrations/%2E%2E%2Fetc"), 404, "registration_not_found")
    }

    @Test func credentialsAreCheckedForEveryHostAndAdminRoute() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let keyA = try api.createEvent(slug: "event-a", capacity: 5)
        let keyB = try api.createEvent(slug: "event-b", capacity: 5)
        let create = Self.event(["slug": "new-one"])

        // Missing token: 401 with a Bearer challenge.
        let missing = try api.request("POST", "/api/events", json: create)
        Self.expectError(missing, 401, "unauthorized")
        #expect(missing.header("WWW-Authenticate") == "Bearer")
        Self.expectError(try api.request("PATCH", "/api/events/event-a", json: ["capacity": 9]), 401, "unauthorized")
        Self.expectError(try api.request("GET", "/api/events/event-a/registrations"), 401, "unauthorized")
        Self.expectError(
            try api.request("GET", "/api/events/event-a/registrations", headers: ["Authorization: Basic Zm9vOmJhcg=="]),
            401, "unauthorized")

        // Wrong token: 403. Each from an address of its own: one address guessing is slowed (AuthFailureDelayTests).
        var source = 0
        func fresh() throws -> APIClient {
            source += 1
            return try APIClient(port: server.port, source: "127.0.9.\(source)")
        }
        Self.expectError(try fresh().request("POST", "/api/events", json: create, token: "not-the-admin-token"), 403, "forbidden")
        Self.expectError(try fresh().request("PATCH", "/api/events/event-a", json: ["capacity": 9], token: "wrong"), 403, "forbidden")
        Self.expectError(try fresh().request("GET", "/api/events/event-a/registrations", token: "wrong"), 403, "forbidden")

        // A host key is for its own event only, and cannot create events.
        Self.expectError(try fresh().request("PATCH", "/api/events/event-a", json: ["capacity": 9], token: keyB), 403, "forbidden")
        Self.expectError(try fresh().request("GET", "/api/events/event-a/registrations", token: keyB), 403, "forbidden")
        Self.expectError(try fresh().request("GET", "/api/events/event-a/registrations?format=csv", token: keyB), 403, "forbidden")
        Self.expectError(try fresh().request("POST", "/api/events", json: create, token: keyA), 403, "forbidden")

        // None of that changed anything; the right keys work.
        #expect(try api.event("event-a").int("capacity") == 5)
        #expect(try api.request("PATCH", "/api/events/event-a", json: ["capacity": 9], token: keyA).status == 200)
        #expect(try api.request("GET", "/api/events/event-b/registrations", token: keyB).status == 200)
        #expect(try api.request("GET", "/api/events/new-one").status == 404)
    }

    @Test func oversizedBodiesAre413() throws {
        let server = try TestServer()
        defer { server.stop() }
        let setup = try APIClient(port: server.port)
        try setup.createEvent(slug: "big", capacity: 5)

        // Announced too large: refused before the body is read.
        let announced = try APIClient(port: server.port)
        announced.socket.send(
            "POST /api/events/big/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2000000\r\n\r\n{\"name\":")
        Self.expectError(try announced.socket.readResponse(), 413, "too_large")

        // Chunked: exactly the limit (1 MiB by default), then one more chunk announced. Nothing follows the
        // refused chunk size, so the server's close cannot reset the connection before the 413 is read.
        let chunked = try APIClient(port: server.port)
        chunked.socket.send(
            "POST /api/events/big/registrations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = String(repeating: "x", count: 256 << 10)
        for _ in 0..<4 { chunked.socket.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n") }
        chunked.socket.send("1\r\n")
        Self.expectError(try chunked.socket.readResponse(), 413, "too_large")

        #expect(try setup.event("big").int("ticketsIssued") == 0)
    }

    @Test func wrongMethodsAre405WithAllow() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "verbs", capacity: 5)
        let cases: [(String, String, String)] = [
            ("PUT", "/api/events/verbs", "PATCH"),
            ("DELETE", "/api/events/verbs", "GET"),
            ("DELETE", "/api/events", "POST"),
            ("PUT", "/api/events/verbs/registrations", "POST"),
            ("POST", "/api/registrations/somecode", "DELETE"),
        ]
        for (method, path, allowed) in cases {
            let response = try api.request(method, path, json: [:], token: APIClient.adminToken)
            Self.expectError(response, 405, "method_not_allowed")
            #expect(response.header("Allow")?.contains(allowed) == true, "\(method) \(path): Allow \(response.header("Allow") ?? "-")")
        }
        #expect(try api.event("verbs").int("capacity") == 5)
    }

    @Test func unknownExportFormatIs422() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let key = try api.createEvent(slug: "fmt", capacity: 5)
        Self.expectError(try api.request("GET", "/api/events/fmt/registrations?format=xml", token: key), 422, "invalid_field")
    }
}
