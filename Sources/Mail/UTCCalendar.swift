import Foundation

/// The Gregorian calendar in UTC, made once: every date in a message (headers, texts, invitations) is
/// written in UTC, and making a `Calendar` per message costs more than writing the message.
enum UTCCalendar {
    static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }()
}
