/// A JSON value as the configuration file holds it.
///
/// Parsed by `ConfigJSONParser`, strictly (RFC 8259), so a mistake in a hand-edited file is
/// reported with its line and column rather than Foundation's "Code=3840".
public enum ConfigJSON: Equatable, Sendable {
    /// Members in file order, each with the line it starts on (for messages).
    case object([Member])
    case array([ConfigJSON])
    case string(String)
    /// The number as written; the reader decides whether it must be whole.
    case number(String)
    case bool(Bool)
    case null

    public struct Member: Equatable, Sendable {
        public let key: String
        public let value: ConfigJSON
        public let line: Int
    }

    /// What kind of value this is, for messages: "a string", "an object", …
    var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string(let text): "the string \"\(text)\""
        case .number(let text): "the number \(text)"
        case .bool(let value): "\(value)"
        case .null: "null"
        }
    }
}

/// A syntax error in a JSON file: where it is (1-based line and column) and what was expected.
public struct ConfigJSONError: Error, Equatable, CustomStringConvertible, Sendable {
    public let line: Int
    public let column: Int
    public let message: String

    public var description: String { "line \(self.line), column \(self.column): \(self.message)" }
}
