import CLibPQ
import Foundation

/// A failure from libpq or the server, with the SQLSTATE when the server sent one, so callers can tell a
/// unique violation (`23505`) or a foreign key violation (`23503`) from an outage.
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/15/errcodes-appendix.html>
struct PGError: Error, CustomStringConvertible, Sendable {
    /// The five-character SQLSTATE, or nil for client-side failures (connection refused, bad parameter).
    var sqlState: String?
    var message: String
    /// The violated constraint's name, when the server names one.
    var constraint: String?

    var description: String {
        if let sqlState { "PostgreSQL error \(sqlState): \(self.message)" } else { "PostgreSQL: \(self.message)" }
    }

    static let uniqueViolation = "23505"
    static let foreignKeyViolation = "23503"

    var isUniqueViolation: Bool { self.sqlState == Self.uniqueViolation }

    /// The error a failed result carries (`PQresultErrorField`), falling back to the connection's message.
    init(result: OpaquePointer?, connection: OpaquePointer?) {
        func field(_ code: Int32) -> String? {
            guard let result, let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        self.sqlState = field(Int32(UInt8(ascii: "C")))  // PG_DIAG_SQLSTATE
        self.constraint = field(Int32(UInt8(ascii: "n")))  // PG_DIAG_CONSTRAINT_NAME
        let resultMessage = result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) } ?? ""
        let text = resultMessage.isEmpty ? connection.map { String(cString: PQerrorMessage($0)) } ?? "" : resultMessage
        self.message = text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    init(_ message: String, sqlState: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.constraint = nil
    }
}
