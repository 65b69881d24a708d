import Foundation
import Synchronization

/// The Gregorian calendar in UTC, made once: every date in a message's headers and invitation is
/// written in UTC, and making a `Calendar` per message costs more than writing the message.
enum UTCCalendar {
    static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    private static let zoned = Mutex<[String: Calendar]>([:])

    /// The Gregorian calendar in an event's time zone (an IANA name the store already validated),
    /// made once per zone; nil for a name the system does not know (a database edited by hand).
    static func gregorian(in zone: String) -> Calendar? {
        if let calendar = Self.zoned.withLock({ $0[zone] }) { return calendar }
        guard let timeZone = TimeZone(identifier: zone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        Self.zoned.withLock { $0[zone] = calendar }
        return calendar
    }
}
