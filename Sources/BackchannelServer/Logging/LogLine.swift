import Foundation
import Logging
import Synchronization

/// One log line, formatted from fields in a fixed order: `text` for people, `json` (one object per
/// line) for machines.
///
///     2026-12-03T10:15:02.123Z info request method=GET path=/healthz status=200 bytes=2 ms=0.21 client=127.0.0.1
///     {"time":"2026-12-03T10:15:02.123Z","level":"info","message":"request","method":"GET",…}
///
/// Text values with a space, a quote, `=` or a line break are quoted as JSON strings.
enum LogLine {
    enum Value {
        case text(String)
        case integer(Int)
        case number(Double)
    }

    static func render(
        _ format: LogFormat, time: String, level: Logger.Level, message: String, fields: [(String, Value)]
    ) -> [UInt8] {
        var line = [UInt8]()
        line.reserveCapacity(160)
        switch format {
        case .text:
            line += time.utf8
            line.append(UInt8(ascii: " "))
            line += level.rawValue.utf8
            line.append(UInt8(ascii: " "))
            line += message.utf8
            for (key, value) in fields {
                line.append(UInt8(ascii: " "))
                line += key.utf8
                line.append(UInt8(ascii: "="))
                switch value {
                case .text(let text):
                    let plain = !text.isEmpty && !text.utf8.contains { $0 <= 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "=") }
                    line += plain ? Array(text.utf8) : Self.quoted(text)
                case .integer(let number): line += String(number).utf8
                case .number(let number): line += Self.decimal(number).utf8
                }
            }
            line.append(UInt8(ascii: "\n"))
        case .json:
            line += #"{"time":""#.utf8
            line += time.utf8
            line += #"","level":""#.utf8
            line += level.rawValue.utf8
            line += #"","message":"#.utf8
            line += Self.quoted(message)
            for (key, value) in fields where key != "time" && key != "level" && key != "message" {
                line.append(UInt8(ascii: ","))
                line += Self.quoted(key)
                line.append(UInt8(ascii: ":"))
                switch value {
                case .text(let text): line += Self.quoted(text)
                case .integer(let number): line += String(number).utf8
                case .number(let number): line += (number.isFinite ? Self.decimal(number) : "null").utf8
                }
            }
            line += "}\n".utf8
        }
        return line
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case UInt8(ascii: "\n"): out += #"\n"#.utf8
            case UInt8(ascii: "\r"): out += #"\r"#.utf8
            case UInt8(ascii: "\t"): out += #"\t"#.utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += #"\u00"#.utf8
                out += [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    /// `1.5`, `0.21`, `12`: a number as JSON writes it, without a trailing `.0`.
    static func decimal(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// UTC with milliseconds: `2026-12-03T10:15:02.123Z`. The part up to the seconds is formatted
    /// once a second, not once a line.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let prefix = Self.secondPrefix.withLock { cached -> String in
            if cached.second == now.tv_sec { return cached.text }
            var seconds = now.tv_sec
            var parts = tm()
            gmtime_r(&seconds, &parts)
            func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
            let text =
                "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
                + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))."
            cached = (now.tv_sec, text)
            return text
        }
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        return prefix + (milliseconds < 10 ? "00" : milliseconds < 100 ? "0" : "") + String(milliseconds) + "Z"
    }

    private static let secondPrefix = Mutex<(second: Int, text: String)>((-1, ""))
}
