import Foundation
import Mail
import Webinar

/// Outbox rows and a composer to render them, with fixed instants.
enum MailFixture {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let starts = Date(timeIntervalSince1970: 1_796_000_400)  // Monday, 30 November 2026, 01:00 UTC

    static var composer: MailComposer {
        get throws {
            MailComposer(publicURL: "https://events.example.org/", from: try MailAddress("events@example.org", name: "Launch team"))
        }
    }

    static func mail(
        _ kind: MailKind, name: String = "Ada Lovelace", email: String = "ada@mail.example.org", sequence: Int = 0,
        title: String = "Launch day", position: Int? = nil, timeZone: String? = nil,
        linkSecret: String? = "Tk3nC0de_abcdefghijklm"
    ) -> OutboxMail {
        let event = Event(
            id: 7, slug: "launch", title: title, startsAt: Self.starts, endsAt: Self.starts + 5400, timeZone: timeZone,
            capacity: 100,
            createdAt: Self.now)
        let registration = Registration(
            id: 42, eventId: 7, eventSlug: "launch", code: nil, authorId: "AuThOr1d-xyzABCD",
            name: name, email: email, status: .ticketed, position: nil, createdAt: Self.now)
        return OutboxMail(
            id: 1001, kind: kind, event: event, scheduleSequence: sequence, registration: registration, position: position,
            linkSecret: linkSecret, attempts: 0, createdAt: Self.now)
    }
}
