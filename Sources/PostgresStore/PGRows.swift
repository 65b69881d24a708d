import Foundation
import Webinar

/// A query's rows copied out of the libpq result (text format), so the result can be freed at once and
/// rows can cross threads.
struct PGRows: Sendable {
    /// Column index by name, shared by every row.
    let columns: [String: Int]
    let rows: [[String?]]
    /// Rows changed by INSERT/UPDATE/DELETE (`PQcmdTuples`), 0 for other commands.
    let affected: Int

    var count: Int { self.rows.count }
    var isEmpty: Bool { self.rows.isEmpty }
    var first: PGRow? { self.rows.first.map { PGRow(columns: self.columns, values: $0) } }
    var all: [PGRow] { self.rows.map { PGRow(columns: self.columns, values: $0) } }
}

/// One row, with typed accessors that fail loudly (a `PGError`) on a missing column, an unexpected NULL
/// or text that does not parse: a schema mismatch must never read as a default value.
struct PGRow: Sendable {
    let columns: [String: Int]
    let values: [String?]

    /// The column's text, nil for NULL.
    func text(_ name: String) throws -> String? {
        guard let index = self.columns[name] else { throw PGError("no column \(name) in the result") }
        return self.values[index]
    }

    func string(_ name: String) throws -> String {
        guard let text = try self.text(name) else { throw PGError("column \(name) is NULL") }
        return text
    }

    func int64(_ name: String) throws -> Int64 {
        guard let value = try self.optionalInt64(name) else { throw PGError("column \(name) is NULL") }
        return value
    }

    func optionalInt64(_ name: String) throws -> Int64? {
        try self.text(name).map { text in
            guard let value = Int64(text) else { throw PGError("column \(name) is not an integer: \(text)") }
            return value
        }
    }

    func int(_ name: String) throws -> Int {
        Int(try self.int64(name))
    }

    /// PostgreSQL prints booleans as `t` and `f`.
    func bool(_ name: String) throws -> Bool {
        switch try self.string(name) {
        case "t", "true": return true
        case "f", "false": return false
        case let text: throw PGError("column \(name) is not a boolean: \(text)")
        }
    }

    func date(_ name: String) throws -> Date {
        guard let value = try self.optionalDate(name) else { throw PGError("column \(name) is NULL") }
        return value
    }

    /// Unix seconds (`double precision`, how this store keeps instants), or a `timestamptz` as printed with
    /// the ISO `DateStyle` (`2026-11-28 14:00:00.5+00`, offsets as `±HH`, `±HH:MM` or `±HH:MM:SS`).
    func optionalDate(_ name: String) throws -> Date? {
        try self.text(name).map { text in
            if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
            guard let date = Self.timestamp(text) else { throw PGError("column \(name) is not a date: \(text)") }
            return date
        }
    }

    /// Parses PostgreSQL's ISO timestamptz output by rewriting its offset into RFC 3339's `±HH:MM`.
    static func timestamp(_ text: String) -> Date? {
        guard let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }),
            text.distance(from: text.startIndex, to: sign) >= 19
        else { return RFC3339.parse(text) }
        let offset = text[text.index(after: sign)...].split(separator: ":").compactMap { Int($0) }
        guard (1...3).contains(offset.count) else { return nil }
        let seconds = offset.count == 3 ? offset[2] : 0
        let hoursAndMinutes = String(format: "%02d:%02d", offset[0], offset.count > 1 ? offset[1] : 0)
        let rewritten = "\(text[...sign])\(hoursAndMinutes)"
        guard let date = RFC3339.parse(rewritten) else { return nil }
        return date.addingTimeInterval(text[sign] == "+" ? -Double(seconds) : Double(seconds))
    }
}
