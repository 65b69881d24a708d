import BackchannelServer
import Foundation
import ServerTesting
import Testing

/// Issue 14, item 13: the admin token cannot be short, and someone guessing admin tokens or host
/// keys from one address gets slower answers with every wrong guess, without slowing anyone else.
@Suite struct AuthFailureDelayTests {
    @Test(arguments: ["short", "change-me", String(repeating: "x", count: 31)])
    func aShortAdminTokenStopsServeWithStatus2(token: String) throws {
        let directory = try TestFolder.make("backchannel-short-token")
        defer { TestFolder.remove(directory) }
        let serve = try BackchannelProcess.start(
            [
                "serve", "--port", "0", "--data-dir", directory.appendingPathComponent("data").path,
                "--static-dir", PackagePaths.staticDirectory,
            ],
            environment: ["BACKCHANNEL_ADMIN_TOKEN": token], directory: directory)
        let result = try serve.wait(seconds: 20)
        // On main, any non-empty token started the server.
        #expect(result.status == 2, "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(result.stderr.contains("admin.token"), "\(result.stderr)")
        #expect(result.stderr.contains("at least 32 characters"), "\(result.stderr)")
        #expect(!result.stderr.contains(token), "the token itself is never repeated")
    }

    /// Every admin token the README tells people to export starts a server (32 characters or more).
    @Test func theReadmeTokenIsLongEnough() throws {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let tokens = Set(
            readme.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: "BACKCHANNEL_ADMIN_TOKEN=") else { return nil }
                return line[range.upperBound...].split(separator: " ").first.map(String.init)
            })
        #expect(!tokens.isEmpty, "the README shows an admin token")
        for token in tokens {
            let server = try TestServer { $0.adminToken = token }
            server.stop()
        }
    }

    /// The answer and the seconds it took.
    static func timed(_ body: () throws -> TestResponse) throws -> (TestResponse, Double) {
        let start = Date()
        let response = try body()
        return (response, Date().timeIntervalSince(start))
    }

    @Test func wrongAdminTokensAndHostKeysAreAnsweredMoreSlowlyFromThatAddress() throws {
        let server = try TestServer()
        defer { server.stop() }
        let port = server.port
        let api = try APIClient(port: port, timeoutSeconds: 30)
        let hostKey = try api.createEvent(slug: "guess", capacity: 5)
        var took: [Double] = []
        for attempt in 0..<4 {
            let token = attempt % 2 == 0 ? "bch_admin_wrong\(attempt)" : "bch_host_wrong\(attempt)"
            let path = attempt % 2 == 0 ? "/api/events" : "/api/events/guess"
            let (response, seconds) = try Self.timed {
                try api.request(attempt % 2 == 0 ? "POST" : "PATCH", path, json: ["capacity": 9], token: token)
            }
            #expect(response.status == 403, "\(response.text)")
            took.append(seconds)
        }
        // The first wrong guess may be a typo; from the second on each costs more: 0.5 s, 1 s, 2 s.
        // (On main all four came back at once.)
        #expect(took[1] >= 0.45 && took[2] >= 0.95 && took[3] >= 1.95, "\(took)")

        // While a slowed answer waits, the loop serves everyone else, the same address with the right key included.
        let guesser = try TestSocket(port: port, timeoutSeconds: 30)
        guesser.send("GET /api/events/guess HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer bch_host_nope\r\n\r\n")
        let other = try APIClient(port: port)
        #expect(try other.request("GET", "/healthz").status == 200)
        #expect(try other.request("PATCH", "/api/events/guess", json: ["capacity": 7], token: hostKey).status == 200)
        #expect(guesser.readAvailable() && guesser.buffer.isEmpty, "the guesser's answer is still held back")
        let (publicView, seconds) = try Self.timed { try guesser.readResponse() }
        #expect(publicView.status == 200, "a wrong key on a public read gives the public view, slowly")
        #expect(try publicView.json()["blockedWords"] == nil)
        #expect(seconds >= 2, "the fifth wrong guess waits 4 s: \(seconds)")
        #expect(try api.event("guess").int("capacity") == 7)
    }

    /// Behind a trusted proxy every client shares the proxy's address: the delay is earned by the
    /// client the proxy names, so one guesser does not slow everyone behind it.
    @Test func behindATrustedProxyOnlyTheGuessingClientIsSlowed() throws {
        let server = try TestServer { $0.trustedProxies = ["127.0.0.32/32"] }
        defer { server.stop() }
        let proxy = try APIClient(port: server.port, timeoutSeconds: 30, source: "127.0.0.32")
        _ = try APIClient(port: server.port).createEvent(slug: "proxied", capacity: 5)
        func wrongGuess(from client: String) throws -> Double {
            let (response, seconds) = try Self.timed {
                try proxy.request(
                    "PATCH", "/api/events/proxied", json: ["capacity": 9], token: "bch_host_wrong",
                    headers: ["X-Forwarded-For: \(client)"])
            }
            #expect(response.status == 403, "\(response.text)")
            return seconds
        }
        let guesser = try (0..<3).map { _ in try wrongGuess(from: "203.0.113.7") }
        #expect(guesser[1] >= 0.45 && guesser[2] >= 0.95, "the guessing client waits more each time: \(guesser)")
        // Another client through the same proxy makes its first mistake at full speed, like anyone's
        // first (before, the proxy's address had earned the delay: this one waited 2 s).
        let other = try wrongGuess(from: "203.0.113.8")
        #expect(other < 0.45, "\(other)")
    }

    @Test func wrongHostKeysOnTheLiveEndpointAreSlowedToo() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "live")
        let client = try LiveClient(port: server.port, slug: "live")
        var took: [Double] = []
        for attempt in 0..<3 {
            let start = Date()
            client.send(["type": "join", "hostKey": "bch_host_wrong\(attempt)"])
            #expect(client.next(type: "error")?["code"] as? String == "bad_host_key")
            took.append(Date().timeIntervalSince(start))
        }
        #expect(took[1] >= 0.45 && took[2] >= 0.95, "\(took)")
    }
}
