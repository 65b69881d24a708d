public import Foundation

/// One email as it will be sent: headers, a plain-text and an HTML body, and maybe a calendar invitation.
///
/// ``rendered()`` gives the RFC 5322 bytes: 7-bit ASCII, CRLF line ends, no line over 78 characters, so
/// the message passes any relay unchanged. The bodies are quoted-printable (readable in the raw source),
/// the invitation base64; the HTML is the caller's, already escaped.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var date: Date
    /// Without angle brackets: `mail-42.AbC@example.org`. The same for every attempt at one message, so
    /// a receiver (or a person) can tell a repeat from a second message.
    public var messageID: String
    public var text: String
    public var html: String
    public var calendar: CalendarInvite?

    public init(
        from: MailAddress, to: MailAddress, subject: String, date: Date, messageID: String, text: String, html: String,
        calendar: CalendarInvite? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
        self.html = html
        self.calendar = calendar
    }

    /// The whole message, headers and body, CRLF everywhere (not yet dot-stuffed for SMTP).
    public func rendered() -> [UInt8] {
        // "=_" never occurs in quoted-printable or base64 text, so no body line can look like a boundary.
        let boundary = "=_bc_" + String(Self.fnv1a(self.messageID), radix: 36)
        var lines: [String] = [
            "Date: " + Self.rfc5322Date(self.date),
            "From: " + self.from.headerValue(used: 6),
            "To: " + self.to.headerValue(used: 4),
            "Subject: " + EncodedWords.unstructured(self.subject, used: 9),
            "Message-ID: <\(self.messageID)>",
            "MIME-Version: 1.0",
            // RFC 3834: an automatic message; vacation responders must not answer it.
            "Auto-Submitted: auto-generated",
        ]
        let alternative = boundary + "a"
        var bodies: [String] = [
            Self.part("text/plain; charset=utf-8", encoding: "quoted-printable", QuotedPrintable.encode(self.text)),
            Self.part("text/html; charset=utf-8", encoding: "quoted-printable", QuotedPrintable.encode(self.html)),
        ]
        if let calendar {
            let ics = Self.base64Lines(Array(calendar.ics().utf8))
            let method = calendar.method.rawValue
            bodies.append(Self.part("text/calendar; charset=utf-8; method=\(method)", encoding: "base64", ics))
            let attachment = Self.part(
                "application/ics; name=\"invite.ics\"", encoding: "base64", ics,
                extra: ["Content-Disposition: attachment; filename=\"invite.ics\""])
            lines.append("Content-Type: multipart/mixed;\r\n boundary=\"\(boundary)\"")
            lines.append("")
            lines.append(
                Self.multipart(
                    [Self.multipartPart("multipart/alternative", boundary: alternative, bodies), attachment],
                    boundary: boundary))
        } else {
            lines.append("Content-Type: multipart/alternative;\r\n boundary=\"\(alternative)\"")
            lines.append("")
            lines.append(Self.multipart(bodies, boundary: alternative))
        }
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    private static func part(_ type: String, encoding: String, _ body: String, extra: [String] = []) -> String {
        (["Content-Type: \(type)", "Content-Transfer-Encoding: \(encoding)"] + extra).joined(separator: "\r\n")
            + "\r\n\r\n" + body
    }

    private static func multipartPart(_ type: String, boundary: String, _ parts: [String]) -> String {
        "Content-Type: \(type);\r\n boundary=\"\(boundary)\"\r\n\r\n" + Self.multipart(parts, boundary: boundary)
    }

    private static func multipart(_ parts: [String], boundary: String) -> String {
        parts.map { "--\(boundary)\r\n\($0)\r\n" }.joined() + "--\(boundary)--\r\n"
    }

    /// FNV-1a: a boundary that is the same for every rendering of one message.
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// Base64 in lines of 76 characters (RFC 2045 §6.8), CRLF between them.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let text = Data(bytes).base64EncodedString()
        var lines: [Substring] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            lines.append(rest.prefix(76))
            rest = rest.dropFirst(76)
        }
        return lines.joined(separator: "\r\n")
    }

    /// `Tue, 01 Dec 2026 14:00:00 +0000` (RFC 5322 §3.3), always in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        let calendar = UTCCalendar.gregorian
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", days[c.weekday! - 1], c.day!, months[c.month! - 1], c.year!,
            c.hour!, c.minute!, c.second!)
    }
}
