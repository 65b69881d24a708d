import BackchannelServer
import Foundation
import ServerTesting
import Store
import Synchronization
import Testing
import Webinar

#if canImport(Glibc)
import Glibc
#endif

/// `backchannel rehearse` (the built binary) against a real server: a small rehearsal that must
/// pass, one against a server stopped mid-run that must fail and say why, and the loopback guard.
@Suite(.serialized) struct RehearseTests {
    /// With the default registration throttle (10 per address per minute): rehearse sends its 150
    /// registrants with the host key, which the throttle lets through.
    @Test func smallRehearsalAgainstARealServerIsReady() throws {
        let server = try TestServer { $0.registrationRateLimit = ServerConfiguration().registrationRateLimit }
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "rehearsal", capacity: 100)
        let run = try BackchannelProcess.start(Self.arguments(port: server.port, slug: "rehearsal", hostKey: hostKey) + ["--json"])
        let result = try run.wait(seconds: 120)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        try RehearseReadyReport.expect(
            result.stdout, ticketed: 100, waitlisted: 50, attendees: 40, viewers: 200, minimumSent: 60)  // about 10/s for 8 s
    }

    @Test func serverStoppedMidRunFailsAndSaysWhy() throws {
        let server = try TestServer()
        let hostKey = try Fixture.event(server.port, slug: "doomed", capacity: 100)
        let run = try BackchannelProcess.start(Self.arguments(port: server.port, slug: "doomed", hostKey: hostKey))
        // Registering and joining take about a second; stop the server a few seconds into commenting.
        Thread.sleep(forTimeInterval: 4)
        server.stop()
        let result = try run.wait(seconds: 120)
        #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("NOT READY"))
        #expect(result.stdout.contains("Problems:"))
        #expect(
            result.stdout.contains("lost its connection") || result.stdout.contains("lost their connection")
                || result.stdout.contains("never joined"),
            "the report names the dropped connections: \(result.stdout)")
    }

    @Test func serverKilledMidRunFailsAndSaysWhy() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ServerProcess(dataDirectory: directory.appendingPathComponent("data"), staticDirectory: directory.path)
        defer { server.killHard() }
        let port = server.port
        let hostKey = try Fixture.event(port, slug: "killed", capacity: 100)
        let run = try BackchannelProcess.start(Self.arguments(port: port, slug: "killed", hostKey: hostKey) + ["--json"])
        Thread.sleep(forTimeInterval: 4)
        server.killHard()  // SIGKILL: no close frames, no goodbye
        let result = try run.wait(seconds: 120)
        #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(report["ready"] as? Bool == false)
        let problems = (report["problems"] as? [String]) ?? []
        #expect(problems.contains { $0.contains("connection") }, "\(problems)")
        let connections = try #require(report["connections"] as? [String: Any])
        #expect((connections["unexpectedCloses"] as? Int ?? 0) + (connections["neverJoined"] as? Int ?? 0) > 0)
    }

    @Test func refusesANonLoopbackTargetWithoutAllowRemote() throws {
        let run = try BackchannelProcess.start(["rehearse", "--url", "http://192.0.2.1:8080", "--event", "x"])
        let result = try run.wait(seconds: 30)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--allow-remote"))
    }

    /// Host keys made before the `bch_host_` prefix are base64url, and 1 in 64 starts with "-". They
    /// still work, on the command line too: `--host-key -Abc…` is a value, not a flag.
    @Test func aHostKeyStartingWithADashIsTakenAsTheValue() throws {
        let legacyKey = "-" + SecretCode.generate(byteCount: 32).dropFirst()
        let store = InMemoryStore()
        _ = try store.createEvent(
            NewEvent(slug: "legacy", title: "Legacy", startsAt: Date().addingTimeInterval(86_400), capacity: 20),
            hostKeyHash: HostKeys.hash(legacyKey), now: Date())
        let server = try TestServer(store: store)
        defer { server.stop() }
        let arguments = [
            "rehearse", "--url", "http://127.0.0.1:\(server.port)", "--event", "legacy", "--registrants", "30",
            "--attendees", "10", "--viewers", "10", "--rate", "4", "--duration", "5", "--drain", "5",
            "--host-key", legacyKey, "--no-progress", "--json",
        ]
        let result = try BackchannelProcess.start(arguments).wait(seconds: 90)
        #expect(!result.stderr.contains("Missing value"), "\(result.stderr)")
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        try RehearseReadyReport.expect(result.stdout, ticketed: 20, waitlisted: 10, attendees: 10, viewers: 10, minimumSent: 15)
    }

    static func arguments(port: Int, slug: String, hostKey: String) -> [String] {
        [
            "rehearse", "--url", "http://127.0.0.1:\(port)", "--event", slug, "--registrants", "150", "--attendees", "40",
            "--viewers", "200", "--rate", "10", "--duration", "8", "--drain", "10", "--host-key", hostKey, "--no-progress",
        ]
    }
}
