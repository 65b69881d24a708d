import BackchannelServer
import Foundation
import ServerTesting
import TLS
import TestSupport
import Testing

/// Issue 14, item 12: answers that carry a ticket code, a host key or an email are never stored by a
/// cache (`Cache-Control: no-store`), and a TLS listener tells browsers to stay on HTTPS (HSTS).
@Suite struct ResponseHeaderSecurityTests {
    @Test func everyAnswerCarryingACodeKeyOrEmailIsNoStore() throws {
        let server = try TestServer { $0.staticDirectory = PackagePaths.staticDirectory }
        defer { server.stop() }
        let port = server.port
        let api = try APIClient(port: port)
        let created = try api.request(
            "POST", "/api/events",
            json: [
                "slug": "private", "title": "Private", "startsAt": "2030-01-01T10:00:00Z", "capacity": 5,
            ], token: APIClient.adminToken)
        let hostKey = try #require(try created.json()["hostKey"] as? String)
        let registered = try api.register(slug: "private", name: "Ann", email: "ann@example.com")
        let code = try #require(try registered.json()["code"] as? String)
        let answers: [(String, TestResponse)] = [
            ("POST /api/events", created),
            ("POST registrations", registered),
            ("POST registrations again", try api.register(slug: "private", name: "Ann", email: "ann@example.com")),
            ("GET registration", try api.request("GET", "/api/registrations/\(code)")),
            ("host list", try api.request("GET", "/api/events/private/registrations", token: hostKey)),
            ("host list csv", try api.request("GET", "/api/events/private/registrations?format=csv", token: hostKey)),
            ("mail", try api.request("GET", "/api/events/private/mail", token: hostKey)),
            ("ticket page", try api.request("GET", "/tickets/\(code)")),
            ("DELETE registration", try api.request("DELETE", "/api/registrations/\(code)")),
        ]
        for (name, response) in answers {
            #expect(response.status < 300, "\(name): \(response.status) \(response.text)")
            // On main none of them said so: a shared cache or the browser's disk cache could keep a code.
            #expect(response.header("Cache-Control") == "no-store", "\(name): \(response.headers)")
        }
        #expect(api.socket.buffer.isEmpty)
        #expect(try api.request("GET", "/healthz").header("Strict-Transport-Security") == nil, "no HSTS without TLS")
    }

    @Test func aTLSListenerSendsHSTSOnEveryAnswer() throws {
        let certificate = try TestCertificate()
        let server = try TestServer {
            $0.tlsCertificateFile = certificate.certificateFile
            $0.tlsKeyFile = certificate.keyFile
        }
        defer { server.stop() }
        for path in ["/healthz", "/", "/api/events/none", "/events/none"] {
            let client = try TestSocket(port: server.port, tls: TLSContext(clientTrusting: certificate.certificateFile))
            try client.handshake()
            client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let answer = String(decoding: try client.receive(count: 1 << 20), as: UTF8.self)
            let head = answer.components(separatedBy: "\r\n\r\n").first ?? ""
            #expect(head.contains("\r\nStrict-Transport-Security: max-age=31536000\r\n"), "\(path): \(head)")
        }
    }
}
