/// The `:name` segments a route captured, percent-decoded.
public struct RouteParameters: Sendable {
    private var pairs: [(name: String, value: String)]

    public init() { self.pairs = [] }

    /// Parameters from pairs, for tests and for callers building a request context by hand.
    public init(_ pairs: [(String, String)]) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// The decoded value captured for `:name`, if the route has it.
    public subscript(_ name: String) -> String? {
        self.pairs.first { $0.name == name }?.value
    }

    public var count: Int { self.pairs.count }

    mutating func append(name: String, value: String) {
        self.pairs.append((name, value))
    }
}
