import BackchannelServer
import Foundation
import ServerTesting
import Testing

/// Issue 14, item 11 (first half): what the server keeps on disk (the database with its WAL and
/// shared-memory files, the admin token hash, the mail outbox) is readable by its own user only.
@Suite struct DataFilePermissionTests {
    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    static func octal(_ mode: Int?) -> String { mode.map { String($0, radix: 8) } ?? "missing" }

    @Test func theDataFolderIs0700AndEveryFileInIt0600() throws {
        let server = try TestServer { $0.adminToken = nil }  // so the token hash is written too
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let data = server.directory.appendingPathComponent("data").path
        let token = try #require(Self.generatedToken(server))
        let created = try api.request(
            "POST", "/api/events",
            json: [
                "slug": "disk", "title": "Disk", "startsAt": "2030-01-01T10:00:00Z", "capacity": 5,
            ], token: token)
        #expect(created.status == 201, "\(created.text)")
        #expect(try api.register(slug: "disk", name: "Ann", email: "ann@example.com").status == 201)

        // The confirmation lands in data/outbox/ as an .eml file (no SMTP server configured).
        let outbox = data + "/outbox"
        let deadline = Date().addingTimeInterval(15)
        var messages: [String] = []
        while messages.isEmpty, Date() < deadline {
            messages = ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).filter { $0.hasSuffix(".eml") }
            if messages.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
        }
        let message = try #require(messages.first, "no message was written to \(outbox)")

        // On main: 755 for the folders, 644 for the files.
        #expect(Self.octal(Self.mode(data)) == "700")
        #expect(Self.octal(Self.mode(outbox)) == "700")
        for file in [
            "backchannel.sqlite", "backchannel.sqlite-wal", "backchannel.sqlite-shm", "admin-token.sha256",
            "outbox/" + message,
        ] {
            #expect(Self.octal(Self.mode(data + "/" + file)) == "600", "\(file)")
        }
    }

    @Test func filesLeftWorldReadableByAnOlderVersionAreTightenedAtStart() throws {
        let folder = try TestFolder.make("backchannel-perm")
        defer { TestFolder.remove(folder) }
        let data = folder.appendingPathComponent("data")
        let first = try ServerProcess(dataDirectory: data)
        _ = try Fixture.event(first.port, slug: "perm", capacity: 5)
        first.killHard()  // no clean close: the WAL and shared-memory files stay, as after a crash
        let files = ["backchannel.sqlite", "backchannel.sqlite-wal", "backchannel.sqlite-shm"]
        for file in files {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: data.path + "/" + file)
        }
        let second = try ServerProcess(dataDirectory: data)
        defer { second.stop() }
        for file in files {
            #expect(Self.octal(Self.mode(data.path + "/" + file)) == "600", "\(file)")
        }
    }

    /// The admin token the server made at start (none was configured).
    static func generatedToken(_ server: TestServer) -> String? {
        if case .generated(let token) = server.server.adminTokenSource { return token }
        return nil
    }
}
