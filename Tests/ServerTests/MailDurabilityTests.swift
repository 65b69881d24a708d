import BackchannelServer
import Foundation
import ServerTesting
import TestSupport
import Testing

/// The outbox across crashes and nodes: what was committed is delivered, once.
@Suite("Mail durability", .enabled(if: TestSMTPServer.python != nil))
struct MailDurabilityTests {
    static func messageIDs(_ smtp: TestSMTPServer) throws -> [String] {
        try TestSMTPServer.inspect(smtp.messageFiles()).compactMap { $0["message_id"] as? String }
    }

    /// Registrations committed while the mail server is down, then `kill -9`: the restarted server sends
    /// every one of their messages, each once.
    @Test func killDashNineBetweenCommitAndSendLosesNothing() throws {
        let smtp = try TestSMTPServer()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-mailcrash-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = [
            "BACKCHANNEL_MAIL_SMTP_URL": "smtp://localhost:\(smtp.port)", "BACKCHANNEL_MAIL_FROM": "events@example.org",
            "BACKCHANNEL_PUBLIC_URL": "https://events.example.org", "BACKCHANNEL_MAIL_RETRY_SECONDS": "0.3",
        ]
        let first = try ServerProcess(dataDirectory: data, environment: environment)
        var firstAlive = true
        defer { if firstAlive { first.killHard() } }
        let api = try APIClient(port: first.port)
        #expect(
            try api.request(
                "POST", "/api/events", json: ["slug": "crash", "title": "Crash", "startsAt": "2030-01-01T10:00:00Z", "capacity": 100],
                token: ServerProcess.adminToken
            ).status == 201)
        for index in 0..<2 {
            #expect(try api.register(slug: "crash", name: "Early \(index)", email: "early\(index)@mail.example.org").status == 201)
        }
        #expect(smtp.waitForMessages(2).count == 2)

        smtp.stop()
        for index in 0..<5 {
            #expect(try api.register(slug: "crash", name: "Late \(index)", email: "late\(index)@mail.example.org").status == 201)
        }
        usleep(500_000)  // the sender has tried and failed to connect: the messages sit committed, unsent
        first.killHard()
        firstAlive = false

        try smtp.start()
        let second = try ServerProcess(dataDirectory: data, environment: environment)
        defer { second.stop() }
        #expect(smtp.waitForMessages(7, seconds: 30).count == 7)
        usleep(1_000_000)
        let ids = try Self.messageIDs(smtp)
        #expect(ids.count == 7 && Set(ids).count == 7, "\(ids)")
        let recipients = try TestSMTPServer.inspect(smtp.messageFiles()).compactMap { $0["to"] as? String }
        #expect(Set(recipients) == Set((0..<2).map { "early\($0)@mail.example.org" } + (0..<5).map { "late\($0)@mail.example.org" }))
    }

    /// Two nodes on one PostgreSQL database, registrations spread over both: every message once.
    @Test(.enabled(if: TestDatabase.serverURL != nil))
    func twoNodesSendEachMessageOnce() throws {
        let smtp = try TestSMTPServer()
        let nodes = try TwoNodes { configuration in
            configuration.mailSMTPURL = "smtp://localhost:\(smtp.port)"
            configuration.mailFrom = "events@example.org"
            configuration.publicURL = "https://events.example.org"
            configuration.mailRetrySeconds = 0.3
        }
        defer { nodes.stop() }
        let a = try APIClient(port: nodes.a.port)
        let b = try APIClient(port: nodes.b.port)
        try a.createEvent(slug: "nodes", capacity: 20)
        for index in 0..<30 {
            let response = try (index % 2 == 0 ? a : b).register(slug: "nodes", name: "P\(index)", email: "p\(index)@mail.example.org")
            #expect(response.status == 201)
        }
        #expect(smtp.waitForMessages(30, seconds: 30).count == 30)
        usleep(1_500_000)
        let ids = try Self.messageIDs(smtp)
        #expect(ids.count == 30 && Set(ids).count == 30, "\(ids.count) messages, \(Set(ids).count) distinct")
        let sent = try [a, b].map { api in Int(metricValue(try api.request("GET", "/metrics").text, "backchannel_mail_sent_total") ?? 0) }
        #expect(sent.reduce(0, +) == 30, "the nodes' counts add up: \(sent)")
    }
}

/// `backchannel mail retry` beside a running server.
@Suite("Mail retry command", .enabled(if: TestSMTPServer.python != nil))
struct MailRetryCommandTests {
    @Test func failedMessagesGoOutAgainAfterTheCauseIsFixed() throws {
        let smtp = try TestSMTPServer(options: ["--reject", "gone@mail.example.org=550"])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-mailretry-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ServerProcess(
            dataDirectory: data,
            environment: [
                "BACKCHANNEL_MAIL_SMTP_URL": "smtp://localhost:\(smtp.port)", "BACKCHANNEL_MAIL_FROM": "events@example.org",
                "BACKCHANNEL_PUBLIC_URL": "https://events.example.org", "BACKCHANNEL_MAIL_RETRY_SECONDS": "0.3",
            ])
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let created = try api.request(
            "POST", "/api/events", json: ["slug": "retry", "title": "Retry", "startsAt": "2030-01-01T10:00:00Z", "capacity": 5],
            token: ServerProcess.adminToken)
        let hostKey = try #require(try created.json().string("hostKey"))
        #expect(try api.register(slug: "retry", name: "Gone", email: "gone@mail.example.org").status == 201)
        func statuses() throws -> [String] {
            try (api.request("GET", "/api/events/retry/mail", token: hostKey).json()["messages"] as? [[String: Any]] ?? [])
                .compactMap { $0["status"] as? String }
        }
        var deadline = Date().addingTimeInterval(10)
        while try statuses() != ["failed"], Date() < deadline { usleep(100_000) }
        #expect(try statuses() == ["failed"])

        smtp.stop()
        smtp.options = []
        try smtp.start()
        let unknown = try CommandRun.backchannel(["mail", "retry", "nope", "--data-dir", data.path])
        #expect(unknown.status == 1 && unknown.stderr.contains("no event has the slug \"nope\""))
        let retried = try CommandRun.backchannel(["mail", "retry", "retry", "--data-dir", data.path])
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(retried.stdout == "1 failed message of retry queued again.\n")
        #expect(smtp.waitForMessages(1).count == 1)
        deadline = Date().addingTimeInterval(10)
        while try statuses() != ["sent"], Date() < deadline { usleep(100_000) }
        #expect(try statuses() == ["sent"])
        #expect(try CommandRun.backchannel(["mail", "retry", "--data-dir", data.path]).stdout == "No failed messages.\n")
    }
}
