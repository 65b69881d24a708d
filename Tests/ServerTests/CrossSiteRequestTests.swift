import BackchannelServer
import Foundation
import ServerTesting
import TLS
import TestSupport
import Testing

/// Issue 14, items 9 and 10: a page on another site cannot act through its visitors' browsers. JSON
/// endpoints take only `application/json` (which a cross-site form or a "simple" fetch cannot send),
/// browser requests from a foreign origin are refused, and the origin allowed is the server's own as
/// configured (`public.url`, else the listen address), never whatever the request's Host header says.
@Suite struct CrossSiteRequestTests {
    static func raw(_ port: Int, _ method: String, _ path: String, body: String, headers: [String]) throws -> TestResponse {
        let socket = try TestSocket(port: port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(body.utf8.count)\r\n"
        for header in headers { head += header + "\r\n" }
        socket.send(head + "\r\n" + body)
        return try socket.readResponse()
    }

    static let registration = #"{"name": "Ann", "email": "ann@example.com"}"#

    @Test(arguments: [
        ["Content-Type: text/plain"], ["Content-Type: application/x-www-form-urlencoded"],
        ["Content-Type: multipart/form-data; boundary=x"], [], ["Content-Type: application/jsonp"],
    ])
    func aJSONEndpointWithoutAJSONContentTypeIs415(headers: [String]) throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let hostKey = try api.createEvent(slug: "csrf", capacity: 5)
        // On main, text/plain from any page registered the visitor (201).
        RegistrationErrorTests.expectError(
            try Self.raw(server.port, "POST", "/api/events/csrf/registrations", body: Self.registration, headers: headers),
            415, "unsupported_media_type")
        RegistrationErrorTests.expectError(
            try Self.raw(
                server.port, "PATCH", "/api/events/csrf", body: #"{"capacity": 1}"#,
                headers: headers + ["Authorization: Bearer \(hostKey)"]),
            415, "unsupported_media_type")
        RegistrationErrorTests.expectError(
            try Self.raw(
                server.port, "POST", "/api/events", body: #"{"title": "x", "startsAt": "2030-01-01T00:00:00Z", "capacity": 1}"#,
                headers: headers + ["Authorization: Bearer \(APIClient.adminToken)"]),
            415, "unsupported_media_type")
        let event = try api.event("csrf")
        #expect(event.int("ticketsIssued") == 0 && event.int("capacity") == 5, "nothing changed")
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"])
    func jsonWithOrWithoutACharsetIsFine(type: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        try APIClient(port: server.port).createEvent(slug: "ok", capacity: 5)
        let response = try Self.raw(
            server.port, "POST", "/api/events/ok/registrations", body: Self.registration,
            headers: ["Content-Type: \(type)"])
        #expect(response.status == 201, "\(response.text)")
    }

    @Test func aForeignOriginIsRefusedOnEveryChangeAndTheOwnOriginPasses() throws {
        let server = try TestServer()
        defer { server.stop() }
        let port = server.port
        let api = try APIClient(port: port)
        let hostKey = try api.createEvent(slug: "origin", capacity: 5)
        let own = "Origin: http://127.0.0.1:\(port)"
        for foreign in [
            "Origin: https://evil.example", "Origin: null", "Origin: http://127.0.0.1:\(port + 1)",
            "Origin: https://127.0.0.1:\(port)",
        ] {
            RegistrationErrorTests.expectError(
                try Self.raw(
                    port, "POST", "/api/events/origin/registrations", body: Self.registration,
                    headers: ["Content-Type: application/json", foreign]),
                403, "forbidden_origin")
            RegistrationErrorTests.expectError(
                try Self.raw(
                    port, "PATCH", "/api/events/origin", body: #"{"capacity": 1}"#,
                    headers: ["Content-Type: application/json", foreign, "Authorization: Bearer \(hostKey)"]),
                403, "forbidden_origin")
        }
        let registered = try Self.raw(
            port, "POST", "/api/events/origin/registrations", body: Self.registration,
            headers: ["Content-Type: application/json", own])
        #expect(registered.status == 201, "\(registered.text)")
        let code = try #require(try registered.json()["code"] as? String)
        RegistrationErrorTests.expectError(
            try Self.raw(port, "DELETE", "/api/registrations/\(code)", body: "", headers: ["Origin: https://evil.example"]),
            403, "forbidden_origin")
        #expect(try api.registration(code)["status"] as? String == "ticketed", "a foreign page cannot cancel a ticket")
        #expect(try Self.raw(port, "DELETE", "/api/registrations/\(code)", body: "", headers: [own]).status == 200)
        // Reading stays open to every origin (the browser keeps the answer from a foreign page anyway).
        #expect(try Self.raw(port, "GET", "/api/events/origin", body: "", headers: ["Origin: https://evil.example"]).status == 200)
    }

    @Test func theLiveEndpointComparesOriginWithTheConfiguredAddressNotTheHostHeader() throws {
        let server = try TestServer()
        defer { server.stop() }
        let port = server.port
        _ = try Fixture.event(port, slug: "live")
        // On main a page at evil.example that also sent `Host: evil.example` (a DNS-rebinding page
        // does) passed the check.
        let rebinding = try TestSocket(port: port)
        rebinding.send(
            "GET /api/events/live/live HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(TestWebSocket.key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        RegistrationErrorTests.expectError(try rebinding.readResponse(), 403, "forbidden_origin")
        for origin in ["http://127.0.0.1:\(port)", "http://localhost:\(port)"] {
            let client = try LiveClient(port: port, slug: "live", origin: origin)
            #expect(client.join()?["role"] as? String == "viewer", "\(origin)")
        }
    }

    @Test func publicURLIsTheOriginAndATLSListenerTakesOnlyHTTPSOrigins() throws {
        let certificate = try TestCertificate()
        let server = try TestServer {
            $0.tlsCertificateFile = certificate.certificateFile
            $0.tlsKeyFile = certificate.keyFile
            $0.publicURL = "https://events.example.org/"
            $0.allowedOrigins = ["http://partner.example", "https://partner.example"]
        }
        defer { server.stop() }
        let port = server.port
        func upgrade(_ origin: String) throws -> Int {
            let client = try TestSocket(port: port, tls: TLSContext(clientTrusting: certificate.certificateFile))
            try client.handshake()
            client.send(
                "GET /api/events/none/live HTTP/1.1\r\nHost: events.example.org\r\nOrigin: \(origin)\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(TestWebSocket.key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
            )
            return try client.readResponse().status
        }
        #expect(try upgrade("https://events.example.org") == 101)
        #expect(try upgrade("https://partner.example") == 101)
        // On main both passed: the Host header matched, and http:// was as good as https://.
        #expect(try upgrade("http://events.example.org") == 403)
        #expect(try upgrade("http://partner.example") == 403, "a TLS listener takes no http:// origin, even a listed one")
        #expect(try upgrade("https://127.0.0.1:\(port)") == 403, "with public.url set, the listen address is not the origin")
    }
}
