import Foundation
import ServerTesting
import TestSupport
import Testing

/// Issue 13: the code belongs to its owner. Registering again or asking for a link never puts a code
/// in an answer; the link goes to the registered mailbox (a real SMTP server on loopback), works
/// once, and replaces the code.
@Suite("Ticket links end to end", .enabled(if: TestSMTPServer.python != nil))
struct TicketLinkEndToEndTests {
    /// The one-time link in a `ticket_link` message, and its token.
    static func recoveryToken(in text: String) -> String? {
        let path = "/tickets/recover#"
        return MailHarness.link(in: text, path: path).map { String($0.dropFirst(MailHarness.publicURL.count + path.count)) }
    }

    @Test func registeringAgainMailsAOneTimeLinkThatReplacesTheCode() throws {
        let harness = try MailHarness()
        defer { harness.stop() }
        let api = try APIClient(port: harness.server.port)
        _ = try api.createEvent(slug: "launch", capacity: 1)
        let first = try api.register(slug: "launch", name: "Ada", email: "ada@mail.example.org")
        let oldCode = try #require(try first.json().string("code"))
        _ = try harness.messages(1)

        // Someone who knows Ada's email learns that she is registered, not her code nor her name.
        let again = try api.register(slug: "launch", name: "Mallory", email: "ADA@mail.example.org")
        #expect(again.status == 200)
        let answer = try again.json()
        #expect(answer.string("code") == nil && answer.bool("linkSent") == true && answer.string("status") == "ticketed")
        #expect(!again.text.contains(oldCode) && !again.text.contains("Ada") && !again.text.contains("bch_r_"))
        #expect(again.header("Cache-Control") == "no-store")

        // Asking again within 5 minutes (here through "lost your ticket?") sends nothing more.
        let resend = try api.request("POST", "/api/registrations/resend", json: ["event": "launch", "email": "ada@mail.example.org"])
        #expect(resend.status == 202 && !resend.text.contains("bch_"))
        let unknown = try api.request("POST", "/api/registrations/resend", json: ["event": "launch", "email": "who@mail.example.org"])
        #expect(unknown.status == 202 && unknown.text == resend.text, "no way to tell who registered: \(unknown.text) vs \(resend.text)")
        #expect(try api.request("POST", "/api/registrations/resend", json: ["event": "nope", "email": "a@b.example"]).status == 404)
        #expect(try api.request("POST", "/api/registrations/resend", json: ["event": "launch", "email": "not an email"]).status == 422)

        let messages = try harness.messages(2)
        let mail = try #require(messages.last)
        #expect(mail["to"] as? String == "ada@mail.example.org")
        #expect(mail["subject"] as? String == "Your ticket link: Webinar launch")
        let text = mail["text"] as? String ?? ""
        #expect(!text.contains(oldCode))
        let token = try #require(Self.recoveryToken(in: text), "\(text)")
        Thread.sleep(forTimeInterval: 1)
        #expect(harness.smtp.messageFiles().count == 2, "one link for three requests")

        // The page at the link is the ticket page (it exchanges the token); the exchange gives a new code.
        #expect(try api.request("GET", "/tickets/recover").status == 200)
        let recovered = try api.request("POST", "/api/registrations/recover", json: ["token": token])
        #expect(recovered.status == 200 && recovered.header("Cache-Control") == "no-store")
        let newCode = try #require(try recovered.json().string("code"))
        #expect(newCode != oldCode && newCode.hasPrefix("bch_t_"))
        #expect(try api.registration(newCode).string("name") == "Ada")
        #expect(try api.request("GET", "/api/registrations/\(oldCode)").status == 404, "the old code stops working")
        let twice = try api.request("POST", "/api/registrations/recover", json: ["token": token])
        #expect(twice.status == 404 && twice.text.contains("recovery_link_invalid"), "a link works once")
    }
}
