import Foundation

/// A value sent to PostgreSQL as a text parameter (`$1`, `$2`, …); the server casts it to the column's type.
protocol PGParameter: Sendable {
    /// The value in PostgreSQL's text input format.
    var pgText: String { get }
}

extension String: PGParameter {
    var pgText: String { self }
}

extension Int: PGParameter {
    var pgText: String { String(self) }
}

extension Int64: PGParameter {
    var pgText: String { String(self) }
}

extension Double: PGParameter {
    /// Swift prints the shortest text that reads back as the same double, so a round trip is exact.
    var pgText: String { "\(self)" }
}

extension Bool: PGParameter {
    var pgText: String { self ? "true" : "false" }
}

extension Date: PGParameter {
    /// Unix seconds, the way the SQLite store keeps instants (`double precision` columns).
    var pgText: String { self.timeIntervalSince1970.pgText }
}

/// An array literal (`{"a","b",NULL}`) for `= ANY($1::text[])` and `unnest(...)`: one parameter instead of
/// one statement per element. Every element is quoted, so any text survives; nil is SQL NULL.
struct PGArray: PGParameter {
    var elements: [(any PGParameter)?]

    init(_ elements: [(any PGParameter)?]) {
        self.elements = elements
    }

    var pgText: String {
        let items = self.elements.map { element -> String in
            guard let element else { return "NULL" }
            var quoted = "\""
            for character in element.pgText {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }
        return "{" + items.joined(separator: ",") + "}"
    }
}
