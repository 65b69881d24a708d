import Foundation
import TLS
import TestSupport
import Testing
import Webinar

@testable import Mail

#if canImport(Glibc)
import Glibc
#endif

/// The SMTP client against a real server (aiosmtpd) on loopback.
@Suite("SMTP session against aiosmtpd", .enabled(if: TestSMTPServer.python != nil))
struct SMTPSessionTests {
    static func settings(_ url: String, trust: TLSClientTrust = .system(additionalFile: nil)) throws -> SMTPSession.Settings {
        SMTPSession.Settings(
            url: try SMTPURL(url), tls: try TLSContext(clientTrust: trust), clientName: "backchannel.test",
            connectTimeout: .seconds(5), commandTimeout: .seconds(5))
    }

    static func message(to: String = "ada@mail.example.org", name: String = "Ada Lovelace") throws -> MailMessage {
        var mail = MailFixture.mail(.confirmed, name: name, email: to)
        mail.id = Int64.random(in: 1...1_000_000)
        return try MailFixture.composer.message(for: mail, now: MailFixture.now)
    }

    @Test func plainSessionDeliversAMessageThatPythonsParserReadsBack() throws {
        let server = try TestSMTPServer()
        let session = try SMTPSession(Self.settings("smtp://localhost:\(server.port)"))
        #expect(session.offered.contains("PIPELINING"))
        #expect(!session.isSecure)
        let message = try Self.message(name: "Zoë \"Z\" Ångström")
        let reply = try session.send(from: message.from, to: message.to, message: message.rendered())
        #expect(reply.code == 250)
        session.quit()
        let files = server.waitForMessages(1)
        #expect(files.count == 1)
        let parsed = try #require(try TestSMTPServer.inspect(files).first)
        #expect(parsed["to"] as? String == "ada@mail.example.org")
        #expect(parsed["to_name"] as? String == "Zoë \"Z\" Ångström")
        #expect(parsed["message_id"] as? String == "<\(message.messageID)>")
        #expect(parsed["subject"] as? String == "Your ticket: Launch day")
        #expect((parsed["defects"] as? [String]) == [])
        #expect((parsed["text"] as? String)?.contains("/tickets/Tk3nC0de_abcdefghijklm") == true)
        let calendar = try #require(parsed["calendar"] as? [String: Any])
        #expect(calendar["method"] as? String == "REQUEST")
        #expect(calendar["start"] as? String == "2026-11-30T01:00:00+00:00")
        #expect(try server.envelope(files[0])["to"] as? [String] == ["ada@mail.example.org"])
    }

    @Test func startTLSWithTheTestCertificateThenAuth() throws {
        let certificate = try TestCertificate()
        let server = try TestSMTPServer(options: [
            "--tls-cert", certificate.certificateFile, "--tls-key", certificate.keyFile, "--auth", "backchannel:s3cret pass",
        ])
        let trust = TLSClientTrust.system(additionalFile: certificate.certificateFile)
        let session = try SMTPSession(Self.settings("smtp://backchannel:s3cret%20pass@localhost:\(server.port)", trust: trust))
        #expect(session.isSecure)
        let message = try Self.message()
        _ = try session.send(from: message.from, to: message.to, message: message.rendered())
        session.quit()
        let files = server.waitForMessages(1)
        let envelope = try server.envelope(try #require(files.first))
        #expect(envelope["tls"] as? Bool == true)
        #expect(envelope["auth"] as? String == "backchannel")

        let refused = #expect(throws: SMTPError.self) {
            try SMTPSession(Self.settings("smtp://backchannel:wrong@localhost:\(server.port)", trust: trust))
        }
        guard case .rejected(_, let reply)? = refused else {
            Issue.record("expected a rejection, got \(String(describing: refused))")
            return
        }
        #expect(reply.code == 535)
    }

    @Test func implicitTLSAndAnUntrustedCertificate() throws {
        let certificate = try TestCertificate()
        let server = try TestSMTPServer(options: [
            "--tls-cert", certificate.certificateFile, "--tls-key", certificate.keyFile, "--implicit-tls",
        ])
        let trusted = try SMTPSession(
            Self.settings(
                "smtps://localhost:\(server.port)", trust: .system(additionalFile: certificate.certificateFile)))
        #expect(trusted.isSecure)
        trusted.quit()
        let error = #expect(throws: SMTPError.self) { try SMTPSession(Self.settings("smtps://localhost:\(server.port)")) }
        #expect(error.map { "\($0)" }?.contains("certificate verify failed") == true)
        #expect(error?.isTransient == true)
    }

    @Test func aPasswordNeverTravelsWithoutTLS() throws {
        let server = try TestSMTPServer()
        let error = #expect(throws: SMTPError.self) { try SMTPSession(Self.settings("smtp://u:p@localhost:\(server.port)")) }
        guard case .unsendable(let text)? = error else {
            Issue.record("expected unsendable")
            return
        }
        #expect(text.contains("STARTTLS"))
    }

    @Test(arguments: [true, false])
    func aRefusedRecipientFailsAloneAndTheSessionGoesOn(pipelining: Bool) throws {
        let server = try TestSMTPServer(options: ["--reject", "gone@mail.example.org=550"] + (pipelining ? [] : ["--no-pipelining"]))
        let session = try SMTPSession(Self.settings("smtp://localhost:\(server.port)"))
        #expect(session.offered.contains("PIPELINING") == pipelining)
        let refused = try Self.message(to: "gone@mail.example.org")
        let error = #expect(throws: SMTPError.self) {
            try session.send(from: refused.from, to: refused.to, message: refused.rendered())
        }
        #expect(error?.isTransient == false)
        #expect(error.map { "\($0)" }?.contains("550 5.1.1") == true)
        let fine = try Self.message(to: "bob@mail.example.org")
        #expect(try session.send(from: fine.from, to: fine.to, message: fine.rendered()).code == 250)
        session.quit()
        #expect(server.waitForMessages(1).count == 1)
    }

    @Test func aTemporaryFailureIsTransient() throws {
        let server = try TestSMTPServer(options: ["--tempfail", "1"])
        let session = try SMTPSession(Self.settings("smtp://localhost:\(server.port)"))
        let message = try Self.message()
        let error = #expect(throws: SMTPError.self) { try session.send(from: message.from, to: message.to, message: message.rendered()) }
        #expect(error?.isTransient == true)
        #expect(try session.send(from: message.from, to: message.to, message: message.rendered()).code == 250)
    }

    @Test func dotStuffingKeepsLinesThatStartWithADot() throws {
        let server = try TestSMTPServer()
        let session = try SMTPSession(Self.settings("smtp://localhost:\(server.port)"))
        let raw = Array("Subject: dots\r\n\r\n.\r\n..two\r\n.three\r\nend".utf8)
        let from = try MailAddress("events@example.org")
        let to = try MailAddress("ada@mail.example.org")
        _ = try session.send(from: from, to: to, message: raw)
        session.quit()
        let file = try #require(server.waitForMessages(1).first)
        #expect(try Data(contentsOf: file) == Data(raw + [13, 10]))
        #expect(SMTPData.encode(Array("a\r\n.b\r\n".utf8)) == Array("a\r\n..b\r\n.\r\n".utf8))
    }

    @Test func aServerThatIsDownIsAConnectionFailure() throws {
        let server = try TestSMTPServer()
        server.stop()
        let error = #expect(throws: SMTPError.self) { try SMTPSession(Self.settings("smtp://localhost:\(server.port)")) }
        guard case .connection? = error else {
            Issue.record("expected a connection failure, got \(String(describing: error))")
            return
        }
    }
}

/// Peers that are not SMTP servers: a loopback listener that answers with fixed bytes.
@Suite("SMTP session against broken peers")
struct SMTPBrokenPeerTests {
    /// Accepts one connection, writes `bytes`, keeps it open a moment, closes.
    static func withPeer(_ bytes: [UInt8], _ body: (Int) throws -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        listen(fd, 4)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            usleep(300_000)
            close(client)
        }
        thread.start()
        defer { close(fd) }
        try body(port)
    }

    @Test(arguments: [
        Array("HTTP/1.1 200 OK\r\n\r\n".utf8), Array("220-hello\r\n221 wrong code\r\n".utf8),
        [UInt8](repeating: UInt8(ascii: "2"), count: 5000), Array("220 almost".utf8), [],
    ])
    func garbageTruncatedOrOversizedGreetingsFailCleanly(bytes: [UInt8]) throws {
        try Self.withPeer(bytes) { port in
            let settings = SMTPSession.Settings(
                url: try SMTPURL("smtp://127.0.0.1:\(port)"), tls: try TLSContext(clientTrust: .system(additionalFile: nil)),
                clientName: "backchannel.test", connectTimeout: .seconds(2), commandTimeout: .seconds(1))
            let error = #expect(throws: SMTPError.self) { try SMTPSession(settings) }
            #expect(error?.isTransient == true, "a broken peer is retried later, like an outage: \(String(describing: error))")
        }
    }

    @Test func urlsParseAndNeverShowThePassword() throws {
        let url = try SMTPURL("smtp://ada%40x:p%40ss@mail.example.org")
        #expect(url.username == "ada@x" && url.password == "p@ss" && url.port == 587 && !url.implicitTLS)
        #expect(!url.description.contains("p@ss"))
        #expect(try SMTPURL("smtps://mail.example.org").port == 465)
        for bad in ["http://x", "smtp://", "smtp://host/path", "smtp://user@host", "smtp://h:99999"] {
            #expect(throws: SMTPError.self, "\(bad)") { try SMTPURL(bad) }
        }
    }
}

@Suite("Mail tests in CI")
struct MailTestsInCI {
    /// The SMTP suites silently skip without the venv; CI must never do that.
    @Test func continuousIntegrationRunsTheSMTPTests() {
        if let ci = ProcessInfo.processInfo.environment["CI"], !ci.isEmpty {
            #expect(TestSMTPServer.python != nil, "CI is set but \(TestSMTPServer.variable) is not: the SMTP tests would skip")
        }
    }
}
