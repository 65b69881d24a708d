import Foundation
import ServerTesting
import Testing
import Webinar

/// `backchannel event create|list` and `backchannel registrations export`, run as the real binary on
/// the same data directory as a running server.
@Suite struct RegistrationCLITests {
    static func temporaryDataDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("data")
    }

    @Test func createdEventsWorkOverHTTPAndExportsMatchTheHTTPExport() throws {
        let data = try Self.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }

        let created = try CommandRun.backchannel([
            "event", "create", "--data-dir", data.path, "--slug", "cli-launch", "--title", "CLI launch",
            "--starts-at", "2030-03-01T15:00:00Z", "--capacity", "2", "--description", "Made on the command line",
        ])
        #expect(created.status == 0, "\(created.stderr)")
        let keyLine = try #require(created.stdout.split(separator: "\n").first { $0.hasPrefix("host key") })
        let hostKey = try #require(keyLine.split(separator: " ").last.map(String.init))
        #expect(SecretCode.looksLike(hostKey, kind: .hostKey), "bch_host_ and 256 random bits: \(hostKey)")
        #expect(created.stdout.contains("cli-launch"))
        let database = try String(contentsOf: data.appendingPathComponent("backchannel.sqlite"), encoding: .isoLatin1)
        #expect(!database.contains(hostKey), "only the hash of the host key is stored")

        let server = try ServerProcess(dataDirectory: data)
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let event = try api.event("cli-launch")
        #expect(event.string("title") == "CLI launch")
        #expect(event.string("description") == "Made on the command line")
        #expect(event.int("capacity") == 2)
        for (index, name) in ["Ann, \"the first\"", "=cmd()", "Cy"].enumerated() {
            #expect(try api.register(slug: "cli-launch", name: name, email: "cli\(index)@example.com").status == 201)
        }
        // The printed host key is the event's key over HTTP (same hash as the server's).
        // (Window 0: the freed seat is ticketed at once, as the listing below expects.)
        #expect(
            try api.request("PATCH", "/api/events/cli-launch", json: ["capacity": 3, "claimWindowMinutes": 0], token: hostKey).status == 200
        )
        #expect(try api.request("PATCH", "/api/events/cli-launch", json: ["capacity": 3], token: hostKey + "x").status == 403)

        let listed = try CommandRun.backchannel(["event", "list", "--data-dir", data.path])
        #expect(listed.status == 0, "\(listed.stderr)")
        let row = try #require(listed.stdout.split(separator: "\n").first { $0.hasPrefix("cli-launch ") })
        #expect(
            row.split(separator: " ", omittingEmptySubsequences: true).map(String.init).prefix(6)
                == ["cli-launch", "2030-03-01T15:00:00Z", "scheduled", "3", "3", "0"])

        // The export is byte for byte what a host downloads over HTTP.
        let csv = try CommandRun.backchannel(["registrations", "export", "cli-launch", "--data-dir", data.path])
        #expect(csv.status == 0, "\(csv.stderr)")
        let httpCSV = try api.request("GET", "/api/events/cli-launch/registrations?format=csv", token: hostKey)
        #expect(httpCSV.status == 200)
        #expect(csv.stdout == httpCSV.text)
        #expect(csv.stdout.hasPrefix("authorId,name,email,status,position,createdAt,offerExpiresAt\r\n"))
        #expect(csv.stdout.contains("\"Ann, \"\"the first\"\"\""))
        #expect(csv.stdout.contains("'=cmd()"), "formula-like cells are defused")
        #expect(csv.stdout.split(separator: "\r\n").count == 4)

        let json = try CommandRun.backchannel(["registrations", "export", "cli-launch", "--format", "json", "--data-dir", data.path])
        #expect(json.status == 0, "\(json.stderr)")
        let httpJSON = try api.request("GET", "/api/events/cli-launch/registrations", token: hostKey)
        let fromCLI = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let fromHTTP = try httpJSON.json()
        #expect(fromCLI.map { NSDictionary(dictionary: $0) } == NSDictionary(dictionary: fromHTTP))
        #expect((fromCLI?["registrations"] as? [Any])?.count == 3)
    }

    /// `--claim-window-minutes` sets how long a freed seat is offered; without it a new event gets a day.
    @Test func createSetsTheClaimWindow() throws {
        let data = try Self.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        for (slug, extra) in [("instant", ["--claim-window-minutes", "0"]), ("hour", ["--claim-window-minutes", "60"]), ("plain", [])] {
            let created = try CommandRun.backchannel(
                [
                    "event", "create", "--data-dir", data.path, "--slug", slug, "--title", "Claims",
                    "--starts-at", "2030-03-01T15:00:00Z", "--capacity", "1",
                ] + extra)
            #expect(created.status == 0, "\(created.stderr)")
        }
        let server = try ServerProcess(dataDirectory: data)
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        #expect(try api.event("instant").int("claimWindowMinutes") == 0)
        #expect(try api.event("hour").int("claimWindowMinutes") == 60)
        #expect(try api.event("plain").int("claimWindowMinutes") == 1440)
    }

    @Test(arguments: [
        (["event", "create", "--slug", "Bad Slug", "--title", "T", "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "5"], "--slug"),
        (["event", "create", "--slug", "ok", "--title", "T", "--starts-at", "next week", "--capacity", "5"], "--starts-at"),
        (["event", "create", "--slug", "ok", "--title", "T", "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "0"], "--capacity"),
        (["event", "create", "--slug", "ok", "--title", "T", "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "lots"], "--capacity"),
        (["event", "create", "--slug", "ok", "--title", " ", "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "5"], "--title"),
        (
            [
                "event", "create", "--slug", "ok", "--title", "T", "--starts-at", "2030-01-01T00:00:00Z",
                "--ends-at", "2029-01-01T00:00:00Z", "--capacity", "5",
            ], "--ends-at"
        ),
        (["event", "create", "--title", "T", "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "5"], "--slug"),
        // Issue 14: a one-character title of 3,001 bytes, and a control character in the description.
        (
            [
                "event", "create", "--slug", "ok", "--title", "a" + String(repeating: "\u{301}", count: 1500),
                "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "5",
            ], "--title"
        ),
        (
            [
                "event", "create", "--slug", "ok", "--title", "T", "--description", "bell\u{7}",
                "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "5",
            ], "--description"
        ),
        (
            [
                "event", "create", "--slug", "ok", "--title", "T", "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "5",
                "--claim-window-minutes", "10081",
            ], "--claim-window-minutes"
        ),
        (
            [
                "event", "create", "--slug", "ok", "--title", "T", "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "5",
                "--claim-window-minutes", "-1",
            ], "--claim-window-minutes"
        ),
        (["registrations", "export", "Not A Slug"], "slug"),
        (["registrations", "export", "taken", "--format", "xml"], "--format"),
    ])
    func badInputExitsWithStatus2AndSaysWhy(arguments: [String], mentions: String) throws {
        try Self.expectFailure(arguments, status: 2, mentions: mentions)
    }

    /// Input that is fine but names something that is not there (or already is): status 1, as the
    /// README's exit-status list says; 2 is only for bad flags and configuration.
    @Test(arguments: [
        (
            ["event", "create", "--slug", "taken", "--title", "T", "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "5"],
            "backchannel: --slug: "
        ),
        (["registrations", "export", "no-such-event"], "backchannel: no event has the slug \"no-such-event\""),
    ])
    func somethingNotFoundOrTakenExitsWithStatus1(arguments: [String], mentions: String) throws {
        try Self.expectFailure(arguments, status: 1, mentions: mentions)
    }

    static func expectFailure(_ arguments: [String], status: Int32, mentions: String) throws {
        let data = try Self.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let setup = try CommandRun.backchannel([
            "event", "create", "--data-dir", data.path, "--slug", "taken", "--title", "Taken",
            "--starts-at", "2030-01-01T00:00:00Z", "--capacity", "5",
        ])
        #expect(setup.status == 0, "\(setup.stderr)")

        let run = try CommandRun.backchannel(arguments + ["--data-dir", data.path])
        #expect(run.status == status, "\(arguments): exit \(run.status), \(run.stderr)")
        #expect(run.stderr.contains(mentions), "\(run.stderr)")
        #expect(!run.stdout.contains("host key"), "no key is printed for a failed create")
        let listed = try CommandRun.backchannel(["event", "list", "--data-dir", data.path])
        #expect(listed.stdout.split(separator: "\n").count == 2, "only the setup event exists: \(listed.stdout)")
    }

    @Test func readingCommandsDoNotCreateAMissingDataDirectory() throws {
        let data = try Self.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        for arguments in [["event", "list"], ["registrations", "export", "some-event"]] {
            let run = try CommandRun.backchannel(arguments + ["--data-dir", data.path])
            #expect(run.status == 1, "not found")
            #expect(run.stderr.contains("no database"), "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }
}
