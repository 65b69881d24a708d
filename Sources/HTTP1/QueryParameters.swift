/// The `name=value` pairs of a query string (`application/x-www-form-urlencoded`), decoded once.
///
/// Pairs whose name or value has an invalid escape are dropped; a name without `=` has the value "".
public struct QueryParameters: Sendable {
    /// Every decoded pair, in order; names may repeat.
    public let pairs: [(name: String, value: String)]

    /// Parses the query part of a target (without `?`); nil means no query.
    public init(_ query: Substring?) {
        guard let query, !query.isEmpty else {
            self.pairs = []
            return
        }
        var pairs: [(name: String, value: String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                name = part
                value = ""
            }
            guard let decodedName = PercentDecoding.decode(name, plusAsSpace: true),
                let decodedValue = PercentDecoding.decode(value, plusAsSpace: true)
            else { continue }
            pairs.append((decodedName, decodedValue))
        }
        self.pairs = pairs
    }

    /// The first value for `name`, if any.
    public subscript(_ name: String) -> String? {
        self.pairs.first { $0.name == name }?.value
    }

    /// Every value for `name`, in order (`?tag=a&tag=b`).
    public func values(for name: String) -> [String] {
        self.pairs.filter { $0.name == name }.map(\.value)
    }

    public var isEmpty: Bool { self.pairs.isEmpty }
}
