import Foundation
import ServerTesting
import Testing
import Webinar

/// The generated admin token: printed once, kept (as a hash) across restarts with a line that says
/// so and how to replace it, and replaced by `backchannel admin-token reset`.
@Suite struct AdminTokenTests {
    static func createEvent(port: Int, slug: String, token: String) throws -> Int {
        try Fixture.request(
            port, "POST", "/api/events", body: ["slug": slug, "title": "T", "startsAt": "2030-01-01T00:00:00Z", "capacity": 1],
            token: token
        ).status
    }

    static func token(in text: String, after marker: String) -> String? {
        text.split(separator: "\n").first { $0.contains(marker) }?.split(separator: " ").last.map(String.init)
    }

    @Test func aKeptTokenIsAnnouncedAndResetReplacesIt() throws {
        let directory = try TestFolder.make("backchannel-token")
        defer { TestFolder.remove(directory) }
        let data = directory.appendingPathComponent("data")
        let unset = ["BACKCHANNEL_ADMIN_TOKEN": ""]

        let first = try ServerProcess(dataDirectory: data, environment: unset)
        let original = try #require(Self.token(in: first.log, after: "admin token (shown once"), "\(first.log)")
        #expect(SecretCode.looksLike(original, kind: .adminToken))
        first.stop()

        let second = try ServerProcess(dataDirectory: data, environment: unset)
        #expect(
            second.log.contains(
                "admin token: kept from the first start (its hash is in \(data.path)/admin-token.sha256); set BACKCHANNEL_ADMIN_TOKEN or run `backchannel admin-token reset` to replace it"
            ),
            "\(second.log)")
        #expect(!second.log.contains(original), "a kept token is never printed again")
        #expect(try Self.createEvent(port: second.port, slug: "a", token: original) == 201)
        second.stop()

        let reset = try CommandRun.backchannel(["admin-token", "reset", "--data-dir", data.path])
        #expect(reset.status == 0, "\(reset.stderr)")
        let replacement = try #require(Self.token(in: reset.stdout, after: "admin token (shown once"), "\(reset.stdout)")
        #expect(SecretCode.looksLike(replacement, kind: .adminToken) && replacement != original)

        let third = try ServerProcess(dataDirectory: data, environment: unset)
        defer { third.stop() }
        #expect(try Self.createEvent(port: third.port, slug: "b", token: original) == 403)
        #expect(try Self.createEvent(port: third.port, slug: "c", token: replacement) == 201)
        let mode = try FileManager.default.attributesOfItem(atPath: data.appendingPathComponent("admin-token.sha256").path)[
            .posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)
    }

    @Test func resetNeedsAnExistingDataDirectory() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-none-\(UUID().uuidString)")
        let run = try CommandRun.backchannel(["admin-token", "reset", "--data-dir", missing.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no data directory at \(missing.path)"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }
}
