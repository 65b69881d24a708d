/// A strict JSON parser over bytes that knows where it is, for error messages.
public struct ConfigJSONParser {
    private let bytes: [UInt8]
    private var offset = 0
    private var depth = 0
    static let maxDepth = 64

    /// Parses one JSON document (whitespace around it allowed, nothing else).
    public static func parse(_ bytes: [UInt8]) throws(ConfigJSONError) -> ConfigJSON {
        var parser = ConfigJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.offset == bytes.count else {
            throw parser.error("unexpected \(parser.describeNext()) after the end of the document")
        }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func value() throws(ConfigJSONError) -> ConfigJSON {
        guard let byte = self.peek() else { throw self.error("unexpected end of file: expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try self.object()
        case UInt8(ascii: "["): return try self.array()
        case UInt8(ascii: "\""): return .string(try self.string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try self.number())
        case UInt8(ascii: "t"):
            try self.literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.literal("null")
            return .null
        default:
            throw self.error(
                "unexpected \(self.describeNext()): expected a value (a string in double quotes, a number, true, false, null, an object or an array)"
            )
        }
    }

    private mutating func object() throws(ConfigJSONError) -> ConfigJSON {
        let opened = self.position()
        try self.enter()
        self.offset += 1
        var members: [ConfigJSON.Member] = []
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "}") {
            self.offset += 1
            self.depth -= 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: "\"") else {
                throw self.peek() == nil
                    ? self.error("unexpected end of file: the object opened at line \(opened.line) is not closed")
                    : self.error("unexpected \(self.describeNext()): expected a key in double quotes")
            }
            let line = self.position().line
            let keyStart = self.offset
            let key = try self.string()
            if members.contains(where: { $0.key == key }) {
                throw self.error("the key \"\(key)\" appears twice in this object", at: keyStart)
            }
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: ":") else {
                throw self.error("unexpected \(self.describeNext()): expected ':' after the key \"\(key)\"")
            }
            self.offset += 1
            self.skipWhitespace()
            members.append(ConfigJSON.Member(key: key, value: try self.value(), line: line))
            self.skipWhitespace()
            switch self.peek() {
            case UInt8(ascii: ","): self.offset += 1
            case UInt8(ascii: "}"):
                self.offset += 1
                self.depth -= 1
                return .object(members)
            case nil: throw self.error("unexpected end of file: the object opened at line \(opened.line) is not closed")
            default: throw self.error("unexpected \(self.describeNext()): expected ',' or '}' after a value (a missing comma?)")
            }
        }
    }

    private mutating func array() throws(ConfigJSONError) -> ConfigJSON {
        let opened = self.position()
        try self.enter()
        self.offset += 1
        var elements: [ConfigJSON] = []
        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "]") {
            self.offset += 1
            self.depth -= 1
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            elements.append(try self.value())
            self.skipWhitespace()
            switch self.peek() {
            case UInt8(ascii: ","): self.offset += 1
            case UInt8(ascii: "]"):
                self.offset += 1
                self.depth -= 1
                return .array(elements)
            case nil: throw self.error("unexpected end of file: the array opened at line \(opened.line) is not closed")
            default: throw self.error("unexpected \(self.describeNext()): expected ',' or ']' after a value (a missing comma?)")
            }
        }
    }

    private mutating func enter() throws(ConfigJSONError) {
        self.depth += 1
        guard self.depth <= Self.maxDepth else { throw self.error("objects and arrays nest more than \(Self.maxDepth) deep") }
    }

    private mutating func string() throws(ConfigJSONError) -> String {
        let start = self.offset
        self.offset += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        while true {
            guard let byte = self.peek() else { throw self.error("unexpected end of file: the string is not closed", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                self.offset += 1
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                return String(scalars)
            case UInt8(ascii: "\\"):
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run = []
                scalars.append(try self.escape())
            case 0..<0x20:
                throw self.error(
                    byte == UInt8(ascii: "\n")
                        ? "the string is not closed before the end of the line"
                        : "a control character inside a string (write it as an escape, e.g. \\t)")
            default:
                run.append(byte)
                self.offset += 1
            }
        }
    }

    private mutating func escape() throws(ConfigJSONError) -> Unicode.Scalar {
        self.offset += 1
        guard let byte = self.peek() else { throw self.error("unexpected end of file in an escape") }
        self.offset += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try self.hex4()
            if (0xD800..<0xDC00).contains(high), self.peek() == UInt8(ascii: "\\"),
                self.offset + 1 < self.bytes.count, self.bytes[self.offset + 1] == UInt8(ascii: "u")
            {
                self.offset += 2
                let low = try self.hex4()
                if (0xDC00..<0xE000).contains(low), let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                    return scalar
                }
            }
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        default:
            self.offset -= 1
            throw self.error("unknown escape \\\(Character(Unicode.Scalar(byte))) in a string")
        }
    }

    private mutating func hex4() throws(ConfigJSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = self.peek(), let digit = Self.hexValue(byte) else { throw self.error("\\u needs four hex digits") }
            value = value << 4 | digit
            self.offset += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func number() throws(ConfigJSONError) -> String {
        let start = self.offset
        func digits(_ parser: inout ConfigJSONParser) -> Int {
            let first = parser.offset
            while let byte = parser.peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { parser.offset += 1 }
            return parser.offset - first
        }
        if self.peek() == UInt8(ascii: "-") { self.offset += 1 }
        let leadingZero = self.peek() == UInt8(ascii: "0")
        let integer = digits(&self)
        guard integer > 0 else { throw self.error("a number needs digits after '-'") }
        guard !(leadingZero && integer > 1) else { throw self.error("a number cannot start with 0 (write 8, not 08)", at: start) }
        if self.peek() == UInt8(ascii: ".") {
            self.offset += 1
            guard digits(&self) > 0 else { throw self.error("a number needs digits after '.'") }
        }
        if self.peek() == UInt8(ascii: "e") || self.peek() == UInt8(ascii: "E") {
            self.offset += 1
            if self.peek() == UInt8(ascii: "+") || self.peek() == UInt8(ascii: "-") { self.offset += 1 }
            guard digits(&self) > 0 else { throw self.error("a number needs digits in its exponent") }
        }
        return String(decoding: self.bytes[start..<self.offset], as: UTF8.self)
    }

    private mutating func literal(_ word: String) throws(ConfigJSONError) {
        let expected = Array(word.utf8)
        guard self.bytes.count - self.offset >= expected.count,
            Array(self.bytes[self.offset..<self.offset + expected.count]) == expected
        else {
            throw self.error("unexpected \(self.describeNext()): expected \(word) (strings need double quotes)")
        }
        self.offset += expected.count
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { self.offset += 1 }
    }

    private func peek() -> UInt8? { self.offset < self.bytes.count ? self.bytes[self.offset] : nil }

    /// The next character for a message: `'x'`, or "end of file".
    private func describeNext() -> String {
        guard self.offset < self.bytes.count else { return "end of file" }
        let rest = self.bytes[self.offset...].prefix(4)
        let character = String(decoding: rest, as: UTF8.self).first.map(String.init) ?? "?"
        return "'\(character)'"
    }

    /// 1-based line and column (in characters) of `offset`.
    private func position(at offset: Int? = nil) -> (line: Int, column: Int) {
        let end = min(offset ?? self.offset, self.bytes.count)
        var line = 1
        var column = 1
        for byte in self.bytes[..<end] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {  // not a UTF-8 continuation byte
                column += 1
            }
        }
        return (line, column)
    }

    private func error(_ message: String, at offset: Int? = nil) -> ConfigJSONError {
        let (line, column) = self.position(at: offset)
        return ConfigJSONError(line: line, column: column, message: message)
    }
}
