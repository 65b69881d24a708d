/// Header fields in arrival order. Names compare case-insensitively (RFC 9110 §5.1);
/// repeated fields are kept, so callers can see every value.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (name: String, value: String)

    @usableFromInline var fields: [(name: String, value: String)]

    public init() { self.fields = [] }

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public var count: Int { self.fields.count }

    public mutating func add(name: String, value: String) {
        self.fields.append((name: name, value: value))
    }

    /// Replaces every field with this name by one field.
    public mutating func replaceOrAdd(name: String, value: String) {
        self.remove(name: name)
        self.fields.append((name: name, value: value))
    }

    public mutating func remove(name: String) {
        self.fields.removeAll { Self.namesEqual($0.name, name) }
    }

    /// The first value of the named field, if any.
    public subscript(name: String) -> String? {
        self.fields.first { Self.namesEqual($0.name, name) }?.value
    }

    /// Every value of the named field, in order.
    public func values(for name: String) -> [String] {
        self.fields.filter { Self.namesEqual($0.name, name) }.map(\.value)
    }

    /// Comma-separated list elements of every field with this name, trimmed and lowercased
    /// (e.g. `Connection: keep-alive, Upgrade` → `["keep-alive", "upgrade"]`).
    public func tokens(for name: String) -> [String] {
        self.values(for: name).flatMap { value in
            value.split(separator: ",").map {
                $0.trimmingCharacters(in: " \t").lowercased()
            }.filter { !$0.isEmpty }
        }
    }

    /// Whether the named comma-separated field contains this token, ignoring case.
    public func contains(name: String, token: String) -> Bool {
        let wanted = token.lowercased()
        return self.tokens(for: name).contains(wanted)
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        self.fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// ASCII case-insensitive comparison without allocating (field names are ASCII tokens).
    @inlinable
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        for (x, y) in zip(a.utf8, b.utf8) where x != y {
            let lx = x >= 0x41 && x <= 0x5A ? x | 0x20 : x
            let ly = y >= 0x41 && y <= 0x5A ? y | 0x20 : y
            if lx != ly { return false }
        }
        return true
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
