import Foundation
import Testing
import Webinar

@testable import Mail

@Suite("Mail messages: MIME structure, invitations, texts")
struct MailMessageTests {
    static func render(_ mail: OutboxMail) throws -> String {
        String(decoding: try MailFixture.composer.message(for: mail, now: MailFixture.now).rendered(), as: UTF8.self)
    }

    @Test(arguments: MailKind.allCases)
    func everyKindIsSevenBitCRLFWithShortLines(kind: MailKind) throws {
        let text = try Self.render(MailFixture.mail(kind, name: "Zoë \"Z\" Ångström", position: 3))
        #expect(text.utf8.allSatisfy { $0 < 0x80 && $0 != 0 })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"), "no bare CR")
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 })
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        for field in ["Date: ", "From: ", "To: ", "Subject: ", "Message-ID: <", "MIME-Version: 1.0", "Content-Type: multipart/"] {
            #expect(head.contains("\r\n" + field) || head.hasPrefix(field), "\(field) in \(kind)")
        }
        #expect(head.contains("Message-ID: <\(kind.rawValue)-1001.AuThOr1d-xyzABCD@example.org>"))
        #expect(text.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(text.contains("Content-Type: text/html; charset=utf-8"))
        let hasInvite = [.confirmed, .promoted, .rescheduled, .cancelled].contains(kind)
        #expect(text.contains("Content-Type: text/calendar") == hasInvite)
        #expect(text.contains("method=CANCEL") == (kind == .cancelled))
    }

    @Test func messageIDIsStableAcrossAttemptsAndDatesFollowRFC5322() throws {
        let mail = MailFixture.mail(.confirmed)
        let first = try MailFixture.composer.message(for: mail, now: MailFixture.now)
        var retried = mail
        retried.attempts = 3
        let second = try MailFixture.composer.message(for: retried, now: MailFixture.now + 600)
        #expect(first.messageID == second.messageID)
        #expect(MailMessage.rfc5322Date(Date(timeIntervalSince1970: 1_796_000_400)) == "Mon, 30 Nov 2026 01:00:00 +0000")
    }

    @Test func theTextCarriesTheLinksAndTheTimesAPersonActsOn() throws {
        let message = try MailFixture.composer.message(for: MailFixture.mail(.confirmed), now: MailFixture.now)
        #expect(message.subject == "Your ticket: Launch day")
        #expect(message.text.contains("https://events.example.org/tickets/Tk3nC0de_abcdefghijklm"))
        #expect(message.text.contains("https://events.example.org/events/launch/live"))
        #expect(message.text.contains("Monday, 30 November 2026, 01:00–02:30 UTC"))
        let waitlisted = try MailFixture.composer.message(for: MailFixture.mail(.waitlisted, position: 12), now: MailFixture.now)
        #expect(waitlisted.text.contains("number 12"))
        #expect(waitlisted.calendar == nil)
    }

    @Test func anEventsTimeZoneComesFirstWithUTCBesideIt() throws {
        let berlin = try MailFixture.composer.message(
            for: MailFixture.mail(.confirmed, timeZone: "Europe/Berlin"), now: MailFixture.now)
        #expect(berlin.text.contains("Monday, 30 November 2026, 02:00–03:30 Europe/Berlin (01:00–02:30 UTC)"))
        // 01:00 UTC on Monday is Sunday evening in New York: each side names its own day.
        let newYork = try MailFixture.composer.message(
            for: MailFixture.mail(.confirmed, timeZone: "America/New_York"), now: MailFixture.now)
        #expect(
            newYork.text.contains(
                "Sunday, 29 November 2026, 20:00–21:30 America/New_York (Monday, 30 November 2026, 01:00–02:30 UTC)"))
        // The invitation keeps UTC, which every calendar converts for its reader.
        #expect(newYork.calendar?.ics().contains("DTSTART:20261130T010000Z") == true)
    }

    /// Stores keep only a code's hash: a message queued without the code cannot link to the ticket and
    /// says how to get a link instead; a ticket link message carries its token in the fragment.
    @Test func withoutTheCodeAMessagePointsToTheLostTicketForm() throws {
        let promoted = try MailFixture.composer.message(
            for: MailFixture.mail(.promoted, linkSecret: nil), now: MailFixture.now)
        #expect(!promoted.text.contains("/tickets/"))
        #expect(promoted.text.contains("https://events.example.org/events/launch#lost-ticket"))
        #expect(promoted.calendar?.description.contains("events/launch#lost-ticket") == true)

        let link = try MailFixture.composer.message(
            for: MailFixture.mail(.ticketLink, linkSecret: "bch_r_0123456789abcdefghijkl"), now: MailFixture.now)
        #expect(link.subject == "Your ticket link: Launch day")
        #expect(link.text.contains("https://events.example.org/tickets/recover#bch_r_0123456789abcdefghijkl"))
        #expect(!link.text.contains("/tickets/bch_r_"), "the token never goes in the path, where logs would keep it")
        #expect(link.calendar == nil)
    }

    @Test func htmlIsEscapedAndHasNoRemoteContent() throws {
        let mail = MailFixture.mail(.confirmed, name: "<script>alert(1)</script> & Co", title: "A <b>bold</b> \"launch\"")
        let message = try MailFixture.composer.message(for: mail, now: MailFixture.now)
        #expect(!message.html.contains("<script>"))
        #expect(!message.html.contains("<b>"))
        #expect(message.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
        #expect(!message.html.contains("<img"))
        #expect(!message.html.contains("src="))
    }

    @Test func aRecipientThatCannotBeMailedIsRefusedBeforeAnyBytesAreWritten() {
        #expect(throws: SMTPError.self) {
            try MailFixture.composer.message(for: MailFixture.mail(.confirmed, email: "a>b@x.org"), now: MailFixture.now)
        }
    }

    @Test func invitationFoldsEscapesAndRaisesSequence() throws {
        let title = "Launch; day, one \\ " + String(repeating: "東京", count: 30)
        var invite = try #require(
            MailFixture.composer.invite(
                for: MailFixture.mail(.rescheduled, sequence: 2, title: title),
                to: try MailAddress("ada@mail.example.org", name: "Ada \"A\" L"), now: MailFixture.now))
        let ics = invite.ics()
        let lines = ics.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.contains("SEQUENCE:2"))
        #expect(lines.contains("METHOD:REQUEST"))
        #expect(lines.contains("DTSTART:20261130T010000Z"))
        #expect(lines.contains("DTEND:20261130T023000Z"))
        #expect(ics.contains("ATTENDEE;CN=\"Ada A L\""))
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:Launch\\; day\\, one \\\\ 東京"))
        #expect(String(decoding: Array(ics.utf8), as: UTF8.self) == ics, "folding never splits a character")
        invite.method = .cancel
        #expect(invite.ics().contains("STATUS:CANCELLED"))
    }
}
