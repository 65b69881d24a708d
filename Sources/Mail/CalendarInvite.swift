public import Foundation

/// One event as an RFC 5545 iCalendar object with an RFC 5546 method: `REQUEST` puts it in (or updates
/// it in) the reader's calendar, `CANCEL` takes it out.
///
/// A calendar recognises updates by `UID` and applies one only when its `SEQUENCE` is higher than what
/// it has, so the UID is stable per registration and the sequence grows each time the host moves the
/// event. Times are UTC (`…Z`), text is escaped (RFC 5545 §3.3.11) and lines are folded at 75 octets
/// without splitting a UTF-8 character.
public struct CalendarInvite: Sendable, Equatable {
    public enum Method: String, Sendable {
        case request = "REQUEST"
        case cancel = "CANCEL"
    }

    public var method: Method
    public var uid: String
    public var sequence: Int
    public var stamp: Date
    public var start: Date
    public var end: Date
    public var summary: String
    public var description: String
    /// The live room's address: LOCATION and URL.
    public var url: String
    public var organizer: MailAddress
    public var attendee: MailAddress

    public init(
        method: Method, uid: String, sequence: Int, stamp: Date, start: Date, end: Date, summary: String,
        description: String, url: String, organizer: MailAddress, attendee: MailAddress
    ) {
        self.method = method
        self.uid = uid
        self.sequence = sequence
        self.stamp = stamp
        self.start = start
        self.end = end
        self.summary = summary
        self.description = description
        self.url = url
        self.organizer = organizer
        self.attendee = attendee
    }

    /// The `.ics` text, CRLF line ends.
    public func ics() -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Backchannel//Backchannel//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:\(self.method.rawValue)",
            "BEGIN:VEVENT",
            "UID:\(Self.text(self.uid))",
            "SEQUENCE:\(self.sequence)",
            "DTSTAMP:\(Self.utc(self.stamp))",
            "DTSTART:\(Self.utc(self.start))",
            "DTEND:\(Self.utc(self.end))",
            "SUMMARY:\(Self.text(self.summary))",
            "DESCRIPTION:\(Self.text(self.description))",
            "LOCATION:\(Self.text(self.url))",
            "URL:\(Self.uri(self.url))",
            "ORGANIZER;CN=\(Self.parameter(self.organizer.name ?? "Backchannel")):mailto:\(self.organizer.address)",
            "ATTENDEE;CN=\(Self.parameter(self.attendee.name ?? self.attendee.address));ROLE=REQ-PARTICIPANT;"
                + "PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:\(self.attendee.address)",
            "STATUS:\(self.method == .cancel ? "CANCELLED" : "CONFIRMED")",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        lines = lines.map(Self.fold)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `20261201T140000Z`.
    static func utc(_ date: Date) -> String {
        let calendar = UTCCalendar.gregorian
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// A TEXT value: backslash, semicolon, comma and newlines escaped; other controls dropped.
    static func text(_ value: String) -> String {
        var out = ""
        for scalar in value.replacingCRLF.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default:
                if scalar.properties.generalCategory == .control { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A URI value: no escaping in iCalendar, but nothing that could end the line.
    static func uri(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.properties.generalCategory != .control }))
    }

    /// A parameter value (CN): quoted, and since a quoted parameter cannot hold `"`, quotes and controls dropped.
    static func parameter(_ value: String) -> String {
        let kept = value.unicodeScalars.filter { $0 != "\"" && $0.properties.generalCategory != .control }
        return "\"" + String(String.UnicodeScalarView(kept)) + "\""
    }

    /// Splits a content line into lines of at most 75 octets, continuation lines starting with a space.
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(character)
            count += size
        }
        return out
    }
}
