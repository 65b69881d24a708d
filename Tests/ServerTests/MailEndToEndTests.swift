import Foundation
import ServerTesting
import TestSupport
import Testing

/// Registration to inbox over loopback: the real server, a real SMTP server (aiosmtpd, STARTTLS and
/// AUTH with a test certificate), and the messages read back with Python's mail parser and icalendar.
@Suite("Mail end to end", .enabled(if: TestSMTPServer.python != nil))
struct MailEndToEndTests {
    @Test func registerCancelAndMoveTheEventEachMailTheRightPeople() throws {
        let harness = try MailHarness()
        defer { harness.stop() }
        let api = try APIClient(port: harness.server.port)
        let hostKey = try api.createEvent(slug: "launch", capacity: 1, extra: ["claimWindowMinutes": 0])
        let ada = try api.register(slug: "launch", name: "Ada Lovelace", email: "ada@mail.example.org")
        #expect(ada.status == 201)
        let adaCode = try #require(try ada.json().string("code"))
        let bob = try api.register(slug: "launch", name: "Bob", email: "bob@mail.example.org")
        let bobCode = try #require(try bob.json().string("code"))

        let first = try harness.messages(2)
        #expect(first.count == 2)
        let confirmed = try #require(first.first { $0["to"] as? String == "ada@mail.example.org" })
        #expect(confirmed["subject"] as? String == "Your ticket: Webinar launch")
        #expect(confirmed["to_name"] as? String == "Ada Lovelace")
        #expect(confirmed["from"] as? String == "events@example.org")
        #expect((confirmed["defects"] as? [String]) == [])
        // The ticket link works: its path is the ticket page, its code the registration's.
        let link = try #require(MailHarness.ticketLink(in: confirmed["text"] as? String ?? ""))
        #expect(link == "\(MailHarness.publicURL)/tickets/\(adaCode)")
        let path = try #require(MailHarness.path(of: link))
        let page = try api.request("GET", path)
        #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(try api.registration(String(path.dropFirst("/tickets/".count))).string("status") == "ticketed")
        let invite = try #require(confirmed["calendar"] as? [String: Any])
        #expect(invite["method"] as? String == "REQUEST")
        #expect(invite["sequence"] as? Int == 0)
        #expect(invite["start"] as? String == "2030-11-28T14:00:00+00:00")
        #expect(invite["location"] as? String == "\(MailHarness.publicURL)/events/launch/live")
        #expect((confirmed["attachment"] as? [String: Any])?["uid"] as? String == invite["uid"] as? String)
        let waitlisted = try #require(first.first { $0["to"] as? String == "bob@mail.example.org" })
        #expect(waitlisted["subject"] as? String == "Waiting list: Webinar launch")
        #expect((waitlisted["text"] as? String)?.contains("number 1") == true)
        #expect(waitlisted["calendar"] is NSNull)
        #expect(try harness.smtp.envelope(harness.smtp.messageFiles()[0])["tls"] as? Bool == true)

        // Ada cancels: her invitation is withdrawn and Bob, first in line, is told he has the seat.
        #expect(try api.request("DELETE", "/api/registrations/\(adaCode)").status == 200)
        let afterCancel = try harness.messages(4).suffix(2)
        let cancelled = try #require(afterCancel.first { $0["to"] as? String == "ada@mail.example.org" })
        #expect((cancelled["calendar"] as? [String: Any])?["method"] as? String == "CANCEL")
        #expect((cancelled["calendar"] as? [String: Any])?["uid"] as? String == invite["uid"] as? String)
        let promoted = try #require(afterCancel.first { $0["to"] as? String == "bob@mail.example.org" })
        #expect(promoted["subject"] as? String == "You have a seat: Webinar launch")
        // Stores keep only a hash of Bob's code: the promotion cannot carry it, and says how to get a link.
        #expect(MailHarness.ticketLink(in: promoted["text"] as? String ?? "") == nil)
        #expect((promoted["text"] as? String)?.contains("\(MailHarness.publicURL)/events/launch#lost-ticket") == true)
        #expect(!(promoted["text"] as? String ?? "").contains(bobCode))
        let bobInvite = try #require(promoted["calendar"] as? [String: Any])

        // The host moves the event: Bob's calendar gets the new time with a higher SEQUENCE, same UID.
        let moved = try api.request(
            "PATCH", "/api/events/launch", json: ["startsAt": "2030-11-29T15:30:00Z", "endsAt": "2030-11-29T16:30:00Z"],
            token: hostKey)
        #expect(moved.status == 200)
        let rescheduled = try #require(try harness.messages(5).last)
        #expect(rescheduled["to"] as? String == "bob@mail.example.org")
        let update = try #require(rescheduled["calendar"] as? [String: Any])
        #expect(update["uid"] as? String == bobInvite["uid"] as? String)
        #expect((update["sequence"] as? Int ?? 0) > (bobInvite["sequence"] as? Int ?? 0))
        #expect(update["start"] as? String == "2030-11-29T15:30:00+00:00")
        #expect(update["end"] as? String == "2030-11-29T16:30:00+00:00")

        // The host's view lists all five, sent, with the server's reply; nobody else may read it.
        let log = try api.request("GET", "/api/events/launch/mail", token: hostKey)
        #expect(log.status == 200)
        let messages = try #require(try log.json()["messages"] as? [[String: Any]])
        #expect(messages.map { $0["kind"] as? String ?? "" } == ["confirmed", "waitlisted", "cancelled", "promoted", "rescheduled"])
        #expect(messages.allSatisfy { $0["status"] as? String == "sent" && ($0["reply"] as? String)?.hasPrefix("250") == true })
        #expect(try api.request("GET", "/api/events/launch/mail").status == 401)
        #expect(try api.request("GET", "/api/events/launch/mail", token: "wrong").status == 403)
        let metrics = try api.request("GET", "/metrics").text
        #expect(metricValue(metrics, "backchannel_mail_sent_total") == 5)
        #expect(metricValue(metrics, "backchannel_mail_queued") == 0)
        #expect(metricValue(metrics, "backchannel_mail_oldest_pending_age_seconds") == 0)
    }

    @Test func namesCannotInjectHeadersAndLongNonASCIINamesArriveIntact() throws {
        let harness = try MailHarness()
        defer { harness.stop() }
        let api = try APIClient(port: harness.server.port)
        try api.createEvent(slug: "names", capacity: 10)
        let injected = try api.register(slug: "names", name: "Eve\r\nBcc: victim@example.org", email: "eve@mail.example.org")
        #expect(injected.status == 422, "a name with a line break is refused before anything is stored")
        let long = String(repeating: "Zoë Ångström 東京 ", count: 7).prefix(100).trimmingCharacters(in: .whitespaces)
        let quoted = "Ada \"The Countess\" O'Neil, Jr. <ada@example.org>"
        #expect(try api.register(slug: "names", name: long, email: "zoe@mail.example.org").status == 201)
        #expect(try api.register(slug: "names", name: quoted, email: "ada@mail.example.org").status == 201)
        let messages = try harness.messages(2)
        let names = Dictionary(uniqueKeysWithValues: messages.map { ($0["to"] as? String ?? "", $0["to_name_rfc2047"] as? String ?? "") })
        #expect(
            names["zoe@mail.example.org"] == long, "decoded as RFC 2047 says; Python's address parser adds spaces between encoded words")
        #expect(names["ada@mail.example.org"] == quoted)
        for message in messages {
            #expect((message["header_names"] as? [String])?.contains("bcc") == false)
            #expect((message["defects"] as? [String]) == [])
        }
        for file in harness.smtp.messageFiles() {
            #expect(try harness.smtp.envelope(file)["to"] as? [String] != ["admin@example.org"])
        }
    }

    @Test func aRecipientRefusedWith550FailsAloneAndTheHostSeesWhy() throws {
        let harness = try MailHarness(smtpOptions: ["--reject", "gone@mail.example.org=550"])
        defer { harness.stop() }
        let api = try APIClient(port: harness.server.port)
        let hostKey = try api.createEvent(slug: "bounce", capacity: 10)
        for (index, email) in ["a@mail.example.org", "gone@mail.example.org", "c@mail.example.org"].enumerated() {
            #expect(try api.register(slug: "bounce", name: "P\(index)", email: email).status == 201)
        }
        let arrived = try harness.messages(2)
        #expect(Set(arrived.compactMap { $0["to"] as? String }) == ["a@mail.example.org", "c@mail.example.org"])
        var messages: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(10)
        repeat {
            messages = try api.request("GET", "/api/events/bounce/mail", token: hostKey).json()["messages"] as? [[String: Any]] ?? []
            if messages.allSatisfy({ $0["status"] as? String != "pending" }) { break }
            usleep(100_000)
        } while Date() < deadline
        #expect(messages.map { $0["status"] as? String ?? "" } == ["sent", "failed", "sent"])
        #expect((messages[1]["reply"] as? String)?.contains("550 5.1.1") == true)
        #expect(messages[1]["email"] as? String == "gone@mail.example.org")
        #expect(messages[1]["attempts"] as? Int == 1, "a 5xx is never retried")
    }

    @Test func anOutageDelaysMailAndLosesOrRepeatsNone() throws {
        let harness = try MailHarness()
        defer { harness.stop() }
        let api = try APIClient(port: harness.server.port)
        try api.createEvent(slug: "outage", capacity: 100)
        harness.smtp.stop()
        for index in 0..<6 {
            #expect(try api.register(slug: "outage", name: "P\(index)", email: "p\(index)@mail.example.org").status == 201)
        }
        usleep(1_500_000)  // the sender tries, fails to connect, backs off
        #expect(harness.smtp.messageFiles().isEmpty)
        try harness.smtp.start()
        let messages = try harness.messages(6, seconds: 30)
        usleep(1_000_000)  // anything sent twice would show up now
        let ids = try TestSMTPServer.inspect(harness.smtp.messageFiles()).compactMap { $0["message_id"] as? String }
        #expect(messages.count == 6)
        #expect(ids.count == 6 && Set(ids).count == 6, "each message exactly once: \(ids)")
        let metrics = try api.request("GET", "/metrics").text
        #expect((metricValue(metrics, "backchannel_mail_connection_failures_total") ?? 0) >= 1)
        #expect(metricValue(metrics, "backchannel_mail_sent_total") == 6)
    }

    @Test func withoutAMailServerEachMessageIsAnEMLFile() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "local", capacity: 5)
        let registered = try api.register(slug: "local", name: "Ada", email: "ada@example.org")
        let code = try #require(try registered.json().string("code"))
        let folder = URL(fileURLWithPath: server.directory.appendingPathComponent("data/outbox").path)
        var files: [URL] = []
        let deadline = Date().addingTimeInterval(10)
        while files.isEmpty && Date() < deadline {
            files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "eml" }
            usleep(50_000)
        }
        #expect(files.map(\.lastPathComponent) == ["00000001-confirmed.eml"])
        let text = try String(contentsOf: try #require(files.first), encoding: .utf8)
        #expect(text.contains("Subject: Your ticket: Webinar local"))
        if TestSMTPServer.python != nil {
            let parsed = try #require(try TestSMTPServer.inspect(files).first)
            #expect(MailHarness.ticketLink(in: parsed["text"] as? String ?? "") == nil, "links use the server's own address")
            #expect((parsed["text"] as? String)?.contains("http://127.0.0.1:\(server.port)/tickets/\(code)") == true)
        }
    }
}
