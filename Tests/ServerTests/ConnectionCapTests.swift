import Foundation
import ServerTesting
import Sockets
import Testing

/// The per-address cap (issue 14, item 1): one address may hold at most
/// `http.max.connections.per.address` connections that are not a joined live WebSocket; the next
/// is closed at once, other addresses are served, and members who joined no longer count. Every
/// client here is on loopback, each "address" a different 127.0.0.x.
@Suite struct ConnectionCapTests {
    static let cap = 8

    @Test func oneAddressGetsItsCapOthersAndJoinedMembersAreNotHeldBack() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-cap-\(UUID().uuidString)/data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let server = try ServerProcess(
            dataDirectory: data,
            environment: [
                "BACKCHANNEL_ADMIN_TOKEN": Fixture.adminToken,
                "BACKCHANNEL_HTTP_MAX_CONNECTIONS_PER_ADDRESS": String(Self.cap),
            ])
        defer { server.stop() }
        let port = server.port
        func healthz(_ socket: TestSocket) -> Int? {
            socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return try? socket.readResponse().status
        }

        // Eight keep-alive connections from 127.0.0.5, each served once (so each was accepted).
        var held = try (0..<Self.cap).map { _ in try TestSocket(port: port, source: "127.0.0.5") }
        #expect(held.map(healthz) == Array(repeating: 200, count: Self.cap))
        // The ninth from that address is closed at once, before any answer.
        let ninth = try TestSocket(port: port, source: "127.0.0.5", timeoutSeconds: 3)
        let started = Date()
        #expect(healthz(ninth) == nil, "the ninth connection from one address was served")
        #expect(ninth.buffer.isEmpty && Date().timeIntervalSince(started) < 2, "closed at once, without an answer")
        // Another address is served.
        #expect(healthz(try TestSocket(port: port, source: "127.0.0.6")) == 200)
        // One of the eight leaves: its address may connect again.
        held.removeLast()
        var again: Int?
        for _ in 0..<20 where again != 200 {
            usleep(100_000)
            again = healthz(try TestSocket(port: port, source: "127.0.0.5", timeoutSeconds: 2))
        }
        #expect(again == 200, "a freed place is given to the next connection")

        // Live members who joined do not count: eight viewers from 127.0.0.7 join, then HTTP still works there.
        _ = try Fixture.event(port, slug: "cap")
        let viewers = try (0..<Self.cap).map { _ in try LiveClient(port: port, slug: "cap", source: "127.0.0.7") }
        for viewer in viewers { #expect(viewer.join()?["role"] as? String == "viewer") }
        #expect(healthz(try TestSocket(port: port, source: "127.0.0.7")) == 200, "joined members left the address's count")

        let metrics = try Fixture.request(port, "GET", "/metrics").text
        let refused = metrics.split(separator: "\n").first { $0.hasPrefix("backchannel_connections_refused_total ") }
        #expect(refused.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0 >= 1, "\(refused ?? "no metric")")
        usleep(600_000)  // the next sweep writes the report if the refusal did not already
        #expect(server.log.contains("http.max.connections.per.address"), "the log says why connections were refused")
        withExtendedLifetime((held, viewers)) {}
    }
}
