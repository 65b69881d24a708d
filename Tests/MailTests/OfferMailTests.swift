import Foundation
import Testing
import Webinar

@testable import Mail

/// The claim-window messages (issue 13): an offer names its deadline in the event's time zone and
/// links once to the ticket page; a lapsed offer says where to register again.
@Suite("Mail messages: offered seats")
struct OfferMailTests {
    static func offer(_ kind: MailKind, timeZone: String?) -> OutboxMail {
        var mail = MailFixture.mail(kind, timeZone: timeZone, linkSecret: kind == .offered ? "bch_r_0fferT0kenabcdefghij" : nil)
        mail.registration.status = kind == .offered ? .offered : .cancelled
        mail.registration.offerExpiresAt = Date(timeIntervalSince1970: 1_795_086_400)  // Thu 19 Nov 2026, 11:06:40 UTC
        return mail
    }

    @Test func anOfferGivesItsDeadlineInTheEventsZoneAndAOneTimeLink() throws {
        let content = try MailFixture.composer.content(for: Self.offer(.offered, timeZone: "Europe/Berlin"))
        let text = content.paragraphs.map(\.text).joined(separator: "\n")
        #expect(content.subject == "A seat is free for you: Launch day")
        #expect(text.contains("held for you until Thursday, 19 November 2026, 12:06 Europe/Berlin (11:06 UTC)"), "\(text)")
        #expect(text.contains("https://events.example.org/tickets/recover#bch_r_0fferT0kenabcdefghij"))
        #expect(!text.contains("/tickets/bch_r_"), "the token is never used as a ticket code")
        let utc = try MailFixture.composer.content(for: Self.offer(.offered, timeZone: nil))
        #expect(utc.paragraphs.map(\.text).joined().contains("until Thursday, 19 November 2026, 11:06 UTC"))
    }

    @Test func aLapsedOfferSaysItPassedOnAndHowToComeBack() throws {
        let content = try MailFixture.composer.content(for: Self.offer(.offerExpired, timeZone: nil))
        let text = content.paragraphs.map(\.text).joined(separator: "\n")
        #expect(content.subject == "The seat offered to you has passed on: Launch day")
        #expect(text.contains("until Thursday, 19 November 2026, 11:06 UTC was not claimed"))
        #expect(text.contains("https://events.example.org/events/launch"))
    }
}
