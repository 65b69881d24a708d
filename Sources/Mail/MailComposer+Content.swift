import Foundation
import Webinar

extension MailComposer {
    /// A paragraph of a message: text, maybe with one link at its end.
    struct Paragraph {
        var text: String
        var lead: String
        var link: String?

        /// A sentence, then the link on the same line in text and as an anchor in HTML.
        init(_ lead: String, link: String? = nil) {
            self.lead = lead
            self.link = link
            self.text = link.map { "\(lead) \($0)" } ?? lead
        }
    }

    struct Content {
        var subject: String
        var paragraphs: [Paragraph]
    }

    /// What each kind of message says.
    func content(for mail: OutboxMail) -> Content {
        let title = mail.event.title
        let when = Self.when(mail.event)
        let hello = Paragraph("Hello \(mail.registration.name),")
        let ticket = self.ticketParagraph(mail)
        let live = Paragraph("Live room (opens at the start; on a new device open your ticket first):", link: self.liveLink(mail))
        let invitation = Paragraph("The invitation is attached: open it to put the event in your calendar.")
        let cannotCome = Paragraph(
            "Cannot come after all? Cancel on your ticket page, so the next person waiting gets your seat.")
        switch mail.kind {
        case .confirmed:
            return Content(
                subject: "Your ticket: \(title)",
                paragraphs: [
                    hello, .init("You have a seat at \"\(title)\"."), .init("When: \(when)"), ticket, live,
                    invitation, cannotCome,
                ])
        case .promoted:
            return Content(
                subject: "You have a seat: \(title)",
                paragraphs: [
                    hello, .init("A seat at \"\(title)\" became free and it is yours now."),
                    .init("When: \(when)"), ticket, live, invitation, cannotCome,
                ])
        case .offered:
            let deadline = mail.registration.offerExpiresAt.map { Self.instant($0, for: mail.event) } ?? "soon"
            return Content(
                subject: "A seat is free for you: \(title)",
                paragraphs: [
                    hello,
                    .init("A seat at \"\(title)\" became free, and it is held for you until \(deadline)."),
                    .init(
                        "Claim it (or decline it, so the next person waiting gets it at once) on your ticket page; "
                            + "this link works once and opens it with a new ticket code:", link: self.recoveryLink(mail)),
                    .init(
                        "If you do nothing, the seat passes to the next person waiting at the deadline and your "
                            + "registration ends."),
                    .init("When: \(when)"),
                ])
        case .offerExpired:
            let deadline = mail.registration.offerExpiresAt.map { Self.instant($0, for: mail.event) } ?? "its deadline"
            return Content(
                subject: "The seat offered to you has passed on: \(title)",
                paragraphs: [
                    hello,
                    .init(
                        "The seat at \"\(title)\" held for you until \(deadline) was not claimed, so it went to the "
                            + "next person waiting and your registration ended."),
                    .init(
                        "Still want to come? Register again; you get a seat if one is free, else a place at the end of "
                            + "the waiting list:", link: self.eventLink(mail)),
                ])
        case .waitlisted:
            let place = mail.position.map { "number \($0)" } ?? "on the list"
            return Content(
                subject: "Waiting list: \(title)",
                paragraphs: [
                    hello,
                    .init("Every seat at \"\(title)\" is taken, so you are on the waiting list: \(place)."),
                    .init(
                        "When a seat becomes free, the first person waiting gets it (held for a while to claim, "
                            + "or at once close to the start), and we email them. "
                            + "Your registration page shows your place as it moves:",
                        link: self.ticketLink(mail) ?? self.lostTicketLink(mail)),
                    .init("When: \(when)"),
                    .init("No longer interested? Leave the waiting list on that page."),
                ])
        case .cancelled:
            return Content(
                subject: "Ticket cancelled: \(title)",
                paragraphs: [
                    hello,
                    .init("Your ticket for \"\(title)\" (\(when)) is cancelled; the seat goes to the next person waiting."),
                    .init("The attached update removes the event from your calendar."),
                    .init(
                        "Changed your mind? Register again; you get a seat if one is free, else a place on the waiting list:",
                        link: self.eventLink(mail)),
                ])
        case .waitlistLeft:
            return Content(
                subject: "You left the waiting list: \(title)",
                paragraphs: [
                    hello, .init("You are no longer on the waiting list for \"\(title)\" (\(when))."),
                    .init("Changed your mind? Register again at the end of the list:", link: self.eventLink(mail)),
                ])
        case .rescheduled:
            return Content(
                subject: "New time: \(title)",
                paragraphs: [
                    hello, .init("The host moved \"\(title)\"."), .init("Now: \(when)"), ticket, live,
                    .init("The attached update moves the event in your calendar."), cannotCome,
                ])
        case .reminder:
            return Content(
                subject: "Starting soon: \(title)",
                paragraphs: [hello, .init("\"\(title)\" starts soon: \(when)."), live, ticket, cannotCome])
        case .ticketLink:
            return Content(
                subject: "Your ticket link: \(title)",
                paragraphs: [
                    hello,
                    .init("Someone, hopefully you, asked for the link to your registration for \"\(title)\" (\(when))."),
                    .init(
                        "Open your ticket here (the link works once, within a day, and gives you a new ticket code; "
                            + "the old code stops working):", link: self.recoveryLink(mail)),
                    .init("Did not ask? Ignore this message: your ticket stays as it is."),
                ])
        }
    }

    /// The ticket's link when the message carries the code, else how to get back to it.
    func ticketParagraph(_ mail: OutboxMail) -> Paragraph {
        if let link = self.ticketLink(mail) { return Paragraph("Your ticket:", link: link) }
        return Paragraph(
            "Your ticket: open it with the link in the first message we sent you for this event. Lost it? "
                + "Ask for a new link on the event page:", link: self.lostTicketLink(mail))
    }

    /// The HTML body: the same paragraphs, escaped, links as anchors; no images, no remote content.
    static func html(_ paragraphs: [Paragraph]) -> String {
        var body = "<!doctype html>\n<html><head><meta charset=\"utf-8\"></head><body>\n"
        for paragraph in paragraphs {
            var line = "<p>" + Self.escape(paragraph.lead)
            if let link = paragraph.link {
                line += "<br><a href=\"\(Self.escape(link))\">\(Self.escape(link))</a>"
            }
            body += line + "</p>\n"
        }
        return body + "</body></html>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
