import BackchannelServer
import Foundation
import ServerTesting
import TestSupport
import Testing

/// `--host` takes IPv6 addresses: `::1` for loopback only, `::` for every address, IPv4 included.
@Suite struct IPv6ListenTests {
    static func healthz(_ port: Int, host: String) throws -> String {
        let socket = try TestSocket(port: port, host: host)
        socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try socket.readResponse()
        return "\(response.status) \(response.text)"
    }

    @Test func ipv6LoopbackServesAndIPv4DoesNotReachIt() throws {
        let server = try TestServer { $0.host = "::1" }
        defer { server.stop() }
        #expect(try Self.healthz(server.port, host: "::1") == "200 ok")
        // 127.0.0.1 on the same port is free (the bind would fail if the server held it), and holding
        // it means no other program can be listening there when we try to connect.
        let ipv4 = try UnusedPort(port: server.port)
        #expect(throws: TestSocket.Failure.self, "bound to ::1 only") { try TestSocket(port: ipv4.port, host: "127.0.0.1") }
    }

    @Test func theUnspecifiedAddressTakesIPv6AndIPv4Both() throws {
        let server = try TestServer { $0.host = "::" }
        defer { server.stop() }
        #expect(try Self.healthz(server.port, host: "::1") == "200 ok")
        #expect(try Self.healthz(server.port, host: "127.0.0.1") == "200 ok", "dual stack")
    }

    /// /metrics is open to loopback peers; on a dual-stack listener an IPv4 peer arrives as ::ffff:127.0.0.1.
    @Test func metricsStayOpenToLoopbackPeersOfBothFamilies() throws {
        let server = try TestServer { $0.host = "::" }
        defer { server.stop() }
        for host in ["127.0.0.1", "::1"] {
            let socket = try TestSocket(port: server.port, host: host)
            socket.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try socket.readResponse().status == 200, "from \(host)")
        }
    }

    @Test func aWebSocketOverIPv6AnswersTheSameOriginFromABracketedHost() throws {
        let server = try TestServer { $0.host = "::1" }
        defer { server.stop() }
        let socket = try TestSocket(port: server.port, host: "::1")
        let host = "[::1]:\(server.port)"
        socket.send(
            "GET /api/events/none/live HTTP/1.1\r\nHost: \(host)\r\nOrigin: http://\(host)\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        #expect(try socket.readResponse().status == 101, "the page's own origin, with an IPv6 host, is allowed")
    }

    @Test func aRehearsalOverIPv6IsReady() throws {
        let server = try TestServer { $0.host = "::" }
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "six", capacity: 20)  // over IPv4: dual stack
        let run = try BackchannelProcess.start(
            RehearseTLSTests.arguments(url: "http://[::1]:\(server.port)", slug: "six", hostKey: hostKey) + ["--json"])
        let result = try run.wait(seconds: 90)
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        try RehearseReadyReport.expect(result.stdout, ticketed: 20, waitlisted: 10, attendees: 10, viewers: 20, minimumSent: 15)
    }

    @Test func aHostNameIsRefusedWithAClearError() throws {
        #expect {
            _ = try TestServer { $0.host = "example.com" }
        } throws: { error in
            "\(error)".contains("host: \"example.com\" is not an IP address")
        }
    }
}
