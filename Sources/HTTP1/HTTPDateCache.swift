import CivilTime
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` header value (IMF-fixdate, RFC 9110 §5.6.7), formatted at most once a second and shared
/// by every event loop, so each response pays only for a clock read and a short lock.
public final class HTTPDateCache: Sendable {
    private struct Entry {
        var second: Int
        var value: String
    }

    private let entry: Mutex<Entry>
    private let now: @Sendable () -> Int

    public init() {
        self.now = { Int(time(nil)) }
        self.entry = Mutex(Entry(second: Int.min, value: ""))
    }

    /// A cache reading seconds since 1970 from `now` (for tests).
    init(now: @escaping @Sendable () -> Int) {
        self.now = now
        self.entry = Mutex(Entry(second: Int.min, value: ""))
    }

    /// The current date, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    public var current: String {
        let second = self.now()
        return self.entry.withLock { entry in
            if entry.second != second {
                entry = Entry(second: second, value: Self.format(epochSeconds: second))
            }
            return entry.value
        }
    }

    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats seconds since 1970 as IMF-fixdate (proleptic Gregorian calendar).
    public static func format(epochSeconds: Int) -> String {
        let days = CivilDate.days(containing: epochSeconds)
        let secondOfDay = epochSeconds - days * 86_400
        let date = CivilDate(daysSince1970: days)
        let (year, month, day) = (date.year, date.month, date.day)
        let weekday = ((days % 7) + 7) % 7

        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let h = secondOfDay / 3600
        let m = secondOfDay / 60 % 60
        let s = secondOfDay % 60
        return
            "\(Self.weekdays[weekday]), \(two(day)) \(Self.months[month - 1]) \(year) \(two(h)):\(two(m)):\(two(s)) GMT"
    }
}
