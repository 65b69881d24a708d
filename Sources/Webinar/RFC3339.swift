import CivilTime
public import Foundation

/// RFC 3339 timestamps, parsed and formatted by hand: no formatter objects (which are neither cheap nor
/// `Sendable` everywhere), no locale, no time zone database.
///
/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (`T`/`t`/space and `Z`/`z` accepted, as RFC 3339 §5.6
/// allows); formats as `2026-11-28T14:00:00Z` in UTC, whole seconds (fractions are dropped, rounding down).
///
/// Related RFC: <https://www.rfc-editor.org/rfc/rfc3339#section-5.6>
public enum RFC3339 {
    /// The instant `text` names, or nil when it is not an RFC 3339 date-time.
    public static func parse(_ text: String) -> Date? {
        var scanner = Scanner(bytes: Array(text.utf8))
        guard let year = scanner.digits(4), scanner.skip("-"), let month = scanner.digits(2), scanner.skip("-"),
            let day = scanner.digits(2), scanner.skip(anyOf: "Tt "), let hour = scanner.digits(2), scanner.skip(":"),
            let minute = scanner.digits(2), scanner.skip(":"), let second = scanner.digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day), hour <= 23,
            minute <= 59, second <= 60
        else { return nil }
        var fraction = 0.0
        if scanner.skip(".") {
            var scale = 0.1
            var count = 0
            while let digit = scanner.digits(1) {
                fraction += Double(digit) * scale
                scale /= 10
                count += 1
            }
            guard count > 0 else { return nil }
        }
        var offset = 0
        if scanner.skip(anyOf: "Zz") {
            offset = 0
        } else if let sign = scanner.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            guard let offsetHour = scanner.digits(2), scanner.skip(":"), let offsetMinute = scanner.digits(2),
                offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offset = (offsetHour * 3600 + offsetMinute * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        let days = CivilDate(year: year, month: month, day: day).daysSince1970
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `text` as a date, or `invalid_field` naming `field`.
    public static func date(_ text: String, field: String) throws(WebinarError) -> Date {
        guard let date = Self.parse(text) else {
            throw .invalidField(field, "Use an RFC 3339 time such as 2026-11-28T14:00:00Z.")
        }
        return date
    }

    /// `date` as `YYYY-MM-DDTHH:MM:SSZ` in UTC.
    public static func format(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = CivilDate.days(containing: total)
        let secondOfDay = total - days * 86_400
        let date = CivilDate(daysSince1970: days)
        let (year, month, day) = (date.year, date.month, date.day)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    /// A cursor over ASCII bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { self.index == self.bytes.count }

        mutating func next() -> UInt8? {
            guard self.index < self.bytes.count else { return nil }
            defer { self.index += 1 }
            return self.bytes[self.index]
        }

        mutating func skip(_ character: Unicode.Scalar) -> Bool { self.skip(anyOf: String(character)) }

        mutating func skip(anyOf characters: String) -> Bool {
            guard self.index < self.bytes.count, characters.utf8.contains(self.bytes[self.index]) else { return false }
            self.index += 1
            return true
        }

        mutating func digits(_ count: Int) -> Int? {
            guard self.index + count <= self.bytes.count else { return nil }
            var value = 0
            for byte in self.bytes[self.index..<self.index + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            self.index += count
            return value
        }
    }
}
