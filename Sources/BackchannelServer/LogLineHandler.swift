import Foundation
import Logging
import Synchronization

/// Writes each log event as one line: `text` for people, `json` (one object per line) for machines.
///
///     2026-12-03T10:15:02.123Z info request method=GET path=/healthz status=200 bytes=2 ms=0.21 client=127.0.0.1
///     {"time":"2026-12-03T10:15:02.123Z","level":"info","message":"request","method":"GET",…}
///
/// Unlike swift-log's `StreamLogHandler` it writes no label and no `[source]`, so the program's name
/// is not said twice on every line; metadata comes last as `key=value`, quoted when it has spaces.
public struct LogLineHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let format: LogFormat
    private let output: LogOutput

    public init(format: LogFormat, output: LogOutput = .standardError) {
        self.format = format
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = self.metadata
        if let provided = self.metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        let time = Self.timestamp()
        let line: String =
            switch self.format {
            case .text: Self.text(time: time, level: event.level, message: "\(event.message)", fields: fields)
            case .json: Self.json(time: time, level: event.level, message: "\(event.message)", fields: fields)
            }
        self.output.write(Array(line.utf8))
    }

    static func text(time: String, level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        var line = "\(time) \(level) \(message)"
        for (key, value) in Self.ordered(fields) {
            let text = "\(value)"
            let plain = !text.isEmpty && !text.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
            line += plain ? " \(key)=\(text)" : " \(key)=\(Self.quoted(text))"
        }
        return line + "\n"
    }

    static func json(time: String, level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        var line = "{\"time\":\"\(time)\",\"level\":\"\(level)\",\"message\":\(Self.quoted(message))"
        for (key, value) in Self.ordered(fields) where !["time", "level", "message"].contains(key) {
            line += ",\(Self.quoted(key)):\(Self.jsonValue(value))"
        }
        return line + "}\n"
    }

    /// The access log's fields in reading order (method, path, status, …), then any others by name.
    private static func ordered(_ fields: Logger.Metadata) -> [(key: String, value: Logger.Metadata.Value)] {
        fields.sorted { a, b in
            let (rankA, rankB) = (Self.fieldOrder.firstIndex(of: a.key) ?? Int.max, Self.fieldOrder.firstIndex(of: b.key) ?? Int.max)
            return rankA != rankB ? rankA < rankB : a.key < b.key
        }
    }

    private static let fieldOrder = ["method", "path", "status", "code", "by", "bytes", "ms", "credential", "failures", "client"]

    private static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): Self.quoted(text)
        case .stringConvertible(let number as any BinaryInteger): "\(number)"
        case .stringConvertible(let number as Double) where number.isFinite: "\(number)"
        case .stringConvertible(let other): Self.quoted("\(other)")
        case .array(let items): "[" + items.map(Self.jsonValue).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.sorted { $0.key < $1.key }.map { "\(Self.quoted($0.key)):\(Self.jsonValue($0.value))" }
                .joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal (also how text format quotes a value with spaces).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
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
            let text = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
            cached = (now.tv_sec, text)
            return text
        }
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        return prefix + (milliseconds < 10 ? "00" : milliseconds < 100 ? "0" : "") + String(milliseconds) + "Z"
    }

    private static let secondPrefix = Mutex<(second: Int, text: String)>((-1, ""))
}

/// Where log lines go: standard error (whole lines, never interleaved), or a closure for tests.
public struct LogOutput: Sendable {
    let write: @Sendable ([UInt8]) -> Void

    public init(_ write: @escaping @Sendable ([UInt8]) -> Void) { self.write = write }

    public static let standardError = LogOutput { bytes in
        LogOutput.standardErrorLock.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Foundation.write(2, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }  // stderr closed: drop the line rather than spin
                offset += written
            }
        }
    }

    private static let standardErrorLock = Mutex<Void>(())
}
