import Foundation
import ServerTesting
import Testing
import WebSocket

/// What an operator reads in `serve`'s output: one line per request and per closed WebSocket, failed
/// authentications once per address per minute, never a secret, and no label said twice.
@Suite struct AccessLogTests {
    /// Drives a server through what the log must show; returns its log and the secrets it must not contain.
    static func exercise(_ arguments: [String]) throws -> (log: String, secrets: [String]) {
        let directory = try TestFolder.make("backchannel-log")
        defer { TestFolder.remove(directory) }
        let server = try ServerProcess(dataDirectory: directory.appendingPathComponent("data"), arguments: arguments)
        let hostKey = try Fixture.event(server.port, slug: "logged", capacity: 5)
        let (code, _) = try Fixture.register(server.port, slug: "logged", name: "Ann")
        let api = try APIClient(port: server.port)
        #expect(try api.request("GET", "/tickets/\(code)?token=query-secret-1").status == 200)
        #expect(try api.request("GET", "/api/registrations/\(code)").status == 200)
        for _ in 0..<3 {
            #expect(try api.request("PATCH", "/api/events/logged", json: ["capacity": 6], token: "wrong-key-2").status == 403)
        }
        let live = try LiveClient(port: server.port, slug: "logged")
        #expect(live.join(ticket: code)?["type"] as? String == "welcome")
        live.ws.send(.close, [0x03, 0xE8])  // 1000
        #expect(live.ws.receiveCloseCode() == 1000)
        Thread.sleep(forTimeInterval: 0.2)
        server.stop()
        return (server.log, [code, hostKey, ServerProcess.adminToken, "query-secret-1", "wrong-key-2"])
    }

    @Test func textLinesNameEveryRequestAndHideEverySecret() throws {
        let (log, secrets) = try Self.exercise([])
        let lines = log.split(separator: "\n").map(String.init)
        for secret in secrets {
            #expect(!log.contains(secret), "the log holds a secret")
        }
        #expect(!log.contains("[backchannel]") && !log.contains("backchannel:"), "no label said twice:\n\(log)")
        #expect(
            lines.contains {
                $0.contains(" info request method=GET path=/tickets/:code status=200 bytes=") && $0.contains("client=127.0.0.1")
            },
            "\(log)")
        #expect(lines.contains { $0.contains("request method=GET path=/api/registrations/:code status=200") })
        #expect(lines.contains { $0.contains("request method=POST path=/api/events status=201") })
        #expect(lines.filter { $0.contains("request method=PATCH path=/api/events/logged status=403") }.count == 3)
        #expect(lines.contains { $0.contains("request method=GET path=/api/events/logged/live status=101") })
        #expect(
            lines.contains { $0.contains("websocket closed path=/api/events/logged/live code=1000 by=client") && $0.contains(" ms=") },
            "\(log)")
        let failures = lines.filter { $0.contains("warning authentication failed") }
        #expect(failures.count == 1, "three wrong keys from one address within a minute log once:\n\(log)")
        #expect(failures.first?.contains("credential=host_key failures=1 client=127.0.0.1") == true, "\(failures)")
    }

    @Test func jsonLinesAreObjectsWithTheSameFields() throws {
        let (log, secrets) = try Self.exercise(["--log-format", "json"])
        for secret in secrets { #expect(!log.contains(secret)) }
        var requests: [[String: Any]] = []
        for line in log.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            #expect(object["time"] is String && object["level"] is String && object["message"] is String, "\(line)")
            if object["message"] as? String == "request" { requests.append(object) }
        }
        let ticket = try #require(requests.first { $0["path"] as? String == "/tickets/:code" }, "\(log)")
        #expect(ticket["method"] as? String == "GET")
        #expect(ticket["status"] as? Int == 200)
        #expect((ticket["bytes"] as? Int ?? 0) > 0)
        #expect(ticket["ms"] is Double || ticket["ms"] is Int)
        #expect(ticket["client"] as? String == "127.0.0.1")
    }
}
