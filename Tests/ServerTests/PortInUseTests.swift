import Foundation
import ServerTesting
import Testing

/// A second `serve` on a port that is already in use stops at start (exit 2, naming the port)
/// instead of joining the first one's SO_REUSEPORT group and taking half its requests.
@Suite struct PortInUseTests {
    @Test func aSecondServeOnTheSamePortFailsAndTheFirstKeepsEveryRequest() throws {
        let directory = try TestFolder.make("backchannel-port")
        defer { TestFolder.remove(directory) }
        let first = try ServerProcess(dataDirectory: directory.appendingPathComponent("first"))
        defer { first.stop() }

        let second = try BackchannelProcess.start(
            [
                "serve", "--port", "\(first.port)", "--data-dir", directory.appendingPathComponent("second").path,
                "--static-dir", PackagePaths.staticDirectory,
            ],
            environment: ["BACKCHANNEL_ADMIN_TOKEN": "another-token-long-enough-for-serve-0123"], directory: directory)
        let result = try second.wait(seconds: 20)
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("port \(first.port) on 127.0.0.1 is already in use"), "\(result.stderr)")

        // Every admin call, each on a new connection, reaches the first server.
        for index in 0..<6 {
            let created = try Fixture.request(
                first.port, "POST", "/api/events",
                body: ["slug": "e\(index)", "title": "E", "startsAt": "2030-01-01T00:00:00Z", "capacity": 1],
                token: ServerProcess.adminToken)
            #expect(created.status == 201)
        }
    }
}
