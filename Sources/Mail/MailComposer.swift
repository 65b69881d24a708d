public import Foundation
public import Webinar

/// Writes the message for an outbox row: pure, so every kind of mail is tested without a server.
///
/// Every message says what happened, what the reader can do next and where (links built on
/// ``publicURL``, the address people reach the server by), with the event's times in UTC and, when the
/// event has a time zone, in that zone first. Messages that
/// give or keep a seat carry the invitation; a cancelled ticket carries the invitation's withdrawal.
public struct MailComposer: Sendable {
    /// The base of every link, without a trailing slash: `https://events.example.org`.
    public let publicURL: String
    public let from: MailAddress

    public init(publicURL: String, from: MailAddress) {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        self.publicURL = base
        self.from = from
    }

    /// The message for `mail`, dated `now`.
    ///
    /// - Throws: ``SMTPError/unsendable(_:)`` when the registration's address cannot be mailed.
    public func message(for mail: OutboxMail, now: Date) throws(SMTPError) -> MailMessage {
        let registration = mail.registration
        let to = try MailAddress(registration.email, name: registration.name)
        let content = self.content(for: mail)
        return MailMessage(
            from: self.from, to: to, subject: content.subject, date: now, messageID: self.messageID(for: mail),
            text: content.paragraphs.map(\.text).joined(separator: "\n\n") + "\n",
            html: Self.html(content.paragraphs), calendar: self.invite(for: mail, to: to, now: now))
    }

    /// `<kind>-<outbox id>.<author id>@<domain of mail.from>`: the same on every attempt, unique across
    /// databases because the author id is random.
    public func messageID(for mail: OutboxMail) -> String {
        "\(mail.kind.rawValue)-\(mail.id).\(mail.registration.authorId)@\(self.from.domain)"
    }

    /// The invitation for kinds that give a seat, its withdrawal for a cancelled ticket, else nil.
    public func invite(for mail: OutboxMail, to: MailAddress, now: Date) -> CalendarInvite? {
        let method: CalendarInvite.Method
        switch mail.kind {
        case .confirmed, .promoted, .rescheduled: method = .request
        case .cancelled: method = .cancel
        case .waitlisted, .offered, .offerExpired, .waitlistLeft, .reminder, .ticketLink: return nil
        }
        let event = mail.event
        return CalendarInvite(
            method: method, uid: "registration-\(mail.registration.id).\(mail.registration.authorId)@\(self.from.domain)",
            sequence: mail.scheduleSequence, stamp: now, start: event.startsAt,
            end: event.endsAt ?? event.startsAt.addingTimeInterval(3600), summary: event.title,
            description: "Live room: \(self.liveLink(mail))\nYour ticket: \(self.ticketLink(mail) ?? self.lostTicketLink(mail))",
            url: self.liveLink(mail), organizer: self.from, attendee: to)
    }

    /// The ticket page, when the message carries the code (stores keep only its hash, so a message queued
    /// later than the code was made cannot).
    func ticketLink(_ mail: OutboxMail) -> String? {
        guard mail.kind != .ticketLink, mail.kind != .offered, let code = mail.linkSecret else { return nil }
        return "\(self.publicURL)/tickets/\(code)"
    }
    /// The one-time recovery link of a ``MailKind/ticketLink`` or ``MailKind/offered`` message; the token rides in the fragment,
    /// so it never reaches a server log or a Referer, and a link checker fetching the page uses nothing.
    func recoveryLink(_ mail: OutboxMail) -> String { "\(self.publicURL)/tickets/recover#\(mail.linkSecret ?? "")" }
    /// The event page's "lost your ticket?" form.
    func lostTicketLink(_ mail: OutboxMail) -> String { "\(self.publicURL)/events/\(mail.event.slug)#lost-ticket" }
    func eventLink(_ mail: OutboxMail) -> String { "\(self.publicURL)/events/\(mail.event.slug)" }
    func liveLink(_ mail: OutboxMail) -> String { "\(self.publicURL)/events/\(mail.event.slug)/live" }

    /// `Tuesday, 1 December 2026, 14:00–15:00 UTC` (the end's date too when it is another day). With a
    /// time zone, the host's local times first and UTC beside them, so everyone can read it:
    /// `Tuesday, 1 December 2026, 09:00–10:00 America/New_York (14:00–15:00 UTC)`.
    static func when(_ event: Event) -> String {
        let utc = Self.span(event, in: UTCCalendar.gregorian)
        guard let zone = event.timeZone, zone != "UTC", let calendar = UTCCalendar.gregorian(in: zone) else {
            return "\(utc.day), \(utc.times) UTC"
        }
        let local = Self.span(event, in: calendar)
        let utcPart = local.day == utc.day ? utc.times : "\(utc.day), \(utc.times)"
        return "\(local.day), \(local.times) \(zone) (\(utcPart) UTC)"
    }

    /// An instant as people read it: `Friday, 4 December 2026, 18:00 Europe/Berlin (17:00 UTC)`, or in
    /// UTC only when the event has no time zone (an offer's deadline).
    static func instant(_ date: Date, for event: Event) -> String {
        var point = event
        point.startsAt = date
        point.endsAt = nil
        return Self.when(point)
    }

    /// The start's date, and the times (with the end's date when it falls on another day) in `calendar`.
    private static func span(_ event: Event, in calendar: Calendar) -> (day: String, times: String) {
        let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        func day(_ date: Date) -> String {
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            return "\(days[c.weekday! - 1]), \(c.day!) \(months[c.month! - 1]) \(c.year!)"
        }
        func time(_ date: Date) -> String {
            let c = calendar.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", c.hour!, c.minute!)
        }
        var times = time(event.startsAt)
        if let end = event.endsAt {
            let sameDay = calendar.isDate(end, inSameDayAs: event.startsAt)
            times += "–" + (sameDay ? time(end) : "\(day(end)), \(time(end))")
        }
        return (day(event.startsAt), times)
    }
}
