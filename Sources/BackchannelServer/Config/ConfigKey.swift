import Foundation

/// A value for a key, as its source gave it: text from a flag or an environment variable, or a
/// JSON value from the configuration file.
public enum ConfigInput: Sendable {
    case text(String)
    case json(ConfigJSON)
}

/// One key `serve` understands: its name, the type and rule of its values, and where a value goes in
/// `ServerConfiguration`. Every source (the JSON file, `BACKCHANNEL_*` variables, flags) goes
/// through the same key, so a value is judged the same wherever it comes from.
public struct ConfigKey: Sendable {
    /// Dotted name: `http.max.body.bytes` is `{"http": {"max": {"body": {"bytes": …}}}}` in the file.
    public let name: String
    /// Secrets (tokens, URLs with passwords) are never repeated in a message.
    public let isSecret: Bool
    /// Parses a value and stores it; throws a sentence saying what is wrong with it.
    let store: @Sendable (inout ServerConfiguration, ConfigInput) throws(ConfigKey.Problem) -> Void
    /// The key's rule, checked on the stored value: nil when it holds.
    let check: @Sendable (ServerConfiguration) -> String?

    /// What is wrong with one value, in words a person can act on.
    public struct Problem: Error, Sendable {
        public let message: String
        init(_ message: String) { self.message = message }
    }

    /// `BACKCHANNEL_HTTP_MAX_BODY_BYTES` for `http.max.body.bytes`.
    public var environmentName: String {
        "BACKCHANNEL_" + self.name.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}

extension ConfigKey {
    /// A whole number in `range`.
    static func integer(
        _ name: String, _ path: any WritableKeyPath<ServerConfiguration, Int> & Sendable, _ range: ClosedRange<Int>
    ) -> ConfigKey {
        ConfigKey(
            name: name, isSecret: false,
            store: { configuration, input throws(Problem) in configuration[keyPath: path] = try Self.parseInteger(input) },
            check: { Self.checkRange(name, $0[keyPath: path], range) })
    }

    /// A whole number in `range`, or unset (`nil` means the default is worked out at start).
    static func integer(
        _ name: String, _ path: any WritableKeyPath<ServerConfiguration, Int?> & Sendable, _ range: ClosedRange<Int>
    ) -> ConfigKey {
        ConfigKey(
            name: name, isSecret: false,
            store: { configuration, input throws(Problem) in configuration[keyPath: path] = try Self.parseInteger(input) },
            check: { configuration in configuration[keyPath: path].flatMap { Self.checkRange(name, $0, range) } })
    }

    /// A number of seconds (fractions allowed) in `range`.
    static func seconds(
        _ name: String, _ path: any WritableKeyPath<ServerConfiguration, Double> & Sendable, _ range: ClosedRange<Double>
    ) -> ConfigKey {
        ConfigKey(
            name: name, isSecret: false,
            store: { configuration, input throws(Problem) in configuration[keyPath: path] = try Self.parseNumber(input) },
            check: { Self.checkRange(name, $0[keyPath: path], range) })
    }

    /// `true` or `false` (also `1`/`0`, `yes`/`no`, `on`/`off` from text).
    static func flag(_ name: String, _ path: any WritableKeyPath<ServerConfiguration, Bool> & Sendable) -> ConfigKey {
        ConfigKey(
            name: name, isSecret: false,
            store: { configuration, input throws(Problem) in
                switch input {
                case .json(.bool(let value)): configuration[keyPath: path] = value
                case .json(let other): throw Problem("expected true or false, not \(other.kindDescription)")
                case .text(let text):
                    switch text.lowercased() {
                    case "true", "1", "yes", "on": configuration[keyPath: path] = true
                    case "false", "0", "no", "off": configuration[keyPath: path] = false
                    default: throw Problem("\"\(text)\" is not true or false")
                    }
                }
            },
            check: { _ in nil })
    }

    /// Text, with an optional rule (`rule` answers a problem, or nil when the text is fine).
    static func text(
        _ name: String, _ path: any WritableKeyPath<ServerConfiguration, String> & Sendable,
        rule: @escaping @Sendable (String) -> String? = Self.notEmpty
    ) -> ConfigKey {
        ConfigKey(
            name: name, isSecret: false,
            store: { configuration, input throws(Problem) in configuration[keyPath: path] = try Self.parseText(input, secret: false) },
            check: { rule($0[keyPath: path]) })
    }

    /// Optional text; an empty value means unset.
    static func text(
        _ name: String, _ path: any WritableKeyPath<ServerConfiguration, String?> & Sendable, secret: Bool = false,
        rule: @escaping @Sendable (String) -> String? = { _ in nil }
    ) -> ConfigKey {
        ConfigKey(
            name: name, isSecret: secret,
            store: { configuration, input throws(Problem) in
                let text = try Self.parseText(input, secret: secret)
                configuration[keyPath: path] = text.isEmpty ? nil : text
            },
            check: { configuration in configuration[keyPath: path].flatMap(rule) })
    }

    /// A list of texts: a JSON array of strings, or comma-separated text.
    static func list(_ name: String, _ path: any WritableKeyPath<ServerConfiguration, [String]> & Sendable) -> ConfigKey {
        ConfigKey(
            name: name, isSecret: false,
            store: { configuration, input throws(Problem) in
                switch input {
                case .text(let text):
                    configuration[keyPath: path] = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                        .filter { !$0.isEmpty }
                case .json(.array(let items)):
                    configuration[keyPath: path] = try items.map { item throws(Problem) in
                        guard case .string(let text) = item else {
                            throw Problem("expected an array of strings; one item is \(item.kindDescription)")
                        }
                        return text
                    }
                case .json(let other): throw Problem("expected an array of strings, not \(other.kindDescription)")
                }
            },
            check: { _ in nil })
    }

    /// One of a fixed set of words.
    static func choice<Value: Sendable>(
        _ name: String, _ path: any WritableKeyPath<ServerConfiguration, Value> & Sendable, _ choices: KeyValuePairs<String, Value>
    ) -> ConfigKey {
        let table = choices.map { ($0.key, $0.value) }
        let words = table.map(\.0).joined(separator: ", ")
        return ConfigKey(
            name: name, isSecret: false,
            store: { configuration, input throws(Problem) in
                let text = try Self.parseText(input, secret: false)
                guard let value = table.first(where: { $0.0 == text.lowercased() })?.1 else {
                    throw Problem("\"\(text)\" is not one of \(words)")
                }
                configuration[keyPath: path] = value
            },
            check: { _ in nil })
    }

    // MARK: Parsing and rules shared by the keys

    static func parseInteger(_ input: ConfigInput) throws(Problem) -> Int {
        switch input {
        case .text(let text):
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw Problem("\"\(text)\" is not a whole number") }
            return value
        case .json(.number(let text)):
            guard let value = Int(text) else { throw Problem("expected a whole number, not \(text)") }
            return value
        case .json(let other):
            throw Problem("expected a whole number, not \(other.kindDescription)")
        }
    }

    static func parseNumber(_ input: ConfigInput) throws(Problem) -> Double {
        switch input {
        case .text(let text):
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw Problem("\"\(text)\" is not a number")
            }
            return value
        case .json(.number(let text)):
            guard let value = Double(text), value.isFinite else { throw Problem("expected a number, not \(text)") }
            return value
        case .json(let other):
            throw Problem("expected a number, not \(other.kindDescription)")
        }
    }

    static func parseText(_ input: ConfigInput, secret: Bool) throws(Problem) -> String {
        switch input {
        case .text(let text), .json(.string(let text)): return text
        case .json(let other): throw Problem("expected a string, not \(secret ? "another kind of value" : other.kindDescription)")
        }
    }

    static func checkRange<Value: Comparable>(_ name: String, _ value: Value, _ range: ClosedRange<Value>) -> String? {
        range.contains(value) ? nil : "\(value) is out of range for \(name) (\(range.lowerBound) to \(range.upperBound))"
    }

    @Sendable static func notEmpty(_ text: String) -> String? {
        text.isEmpty ? "must not be empty" : nil
    }
}
