public import Logging

/// A swift-log handler that writes each event as one `LogLine` (text or JSON) to a `LogOutput`.
///
/// Unlike swift-log's `StreamLogHandler` it writes no label and no `[source]`, so the program's name
/// is not said twice on every line; metadata follows the message as `key=value`, the access log's
/// fields in reading order (method, path, status, …) and any others by name.
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
        let line = LogLine.render(
            self.format, time: LogLine.timestamp(), level: event.level, message: "\(event.message)",
            fields: Self.ordered(fields).map { ($0.key, Self.value($0.value)) })
        self.output.write(line, urgent: true)
    }

    private static func ordered(_ fields: Logger.Metadata) -> [(key: String, value: Logger.Metadata.Value)] {
        fields.sorted { a, b in
            let (rankA, rankB) = (Self.fieldOrder.firstIndex(of: a.key) ?? Int.max, Self.fieldOrder.firstIndex(of: b.key) ?? Int.max)
            return rankA != rankB ? rankA < rankB : a.key < b.key
        }
    }

    static let fieldOrder = ["method", "path", "status", "code", "by", "bytes", "ms", "credential", "failures", "client"]

    private static func value(_ value: Logger.Metadata.Value) -> LogLine.Value {
        switch value {
        case .string(let text): .text(text)
        case .stringConvertible(let number as Int): .integer(number)
        case .stringConvertible(let number as Double): .number(number)
        default: .text("\(value)")
        }
    }
}
