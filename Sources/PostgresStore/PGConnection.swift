import CLibPQ
import Foundation

/// One libpq connection: parameterized statements with text parameters and text results.
///
/// Not thread-safe, like libpq's `PGconn`: one thread at a time uses it, which ``PGPool`` guarantees by
/// handing each connection to one caller at a time (hence `@unchecked Sendable`).
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/15/libpq-exec.html>
final class PGConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// Session settings applied after every connect and reset (a reset starts a new session).
    private let settings: [(name: String, value: String)]

    /// Connects with a URL (`postgresql://user@host:port/db`) or a `key=value` conninfo string, then
    /// applies `settings` (`set_config`), which a later `reset` applies again.
    init(_ conninfo: String, settings: [(name: String, value: String)] = []) throws {
        self.settings = settings
        self.handle = PQconnectdb(conninfo)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = self.handle.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(self.handle)
            self.handle = nil
            throw PGError("cannot connect: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        // Server notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try self.applySettings()
    }

    private func applySettings() throws {
        for setting in self.settings {
            try self.query("SELECT set_config($1, $2, false)", [setting.name, setting.value])
        }
    }

    deinit {
        PQfinish(self.handle)
    }

    /// The libpq handle, for the extensions in other files (notifications).
    var rawHandle: OpaquePointer? { self.handle }

    /// True when the connection is lost (server restart, network): the pool then resets it.
    var isBroken: Bool {
        guard let handle else { return true }
        return PQstatus(handle) == CONNECTION_BAD
    }

    /// True inside a transaction that failed: only ROLLBACK can follow.
    var isInFailedTransaction: Bool {
        guard let handle else { return false }
        return PQtransactionStatus(handle) == PQTRANS_INERROR
    }

    /// Reconnects with the same parameters (`PQreset`).
    func reset() throws {
        guard let handle else { throw PGError("connection closed") }
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PGError("cannot reconnect: \(String(cString: PQerrorMessage(handle)))")
        }
        try self.applySettings()
    }

    func close() {
        PQfinish(self.handle)
        self.handle = nil
    }

    /// Runs one statement with `$1…$n` bound to `parameters` (nil is NULL).
    @discardableResult
    func query(_ sql: String, _ parameters: [(any PGParameter)?] = []) throws -> PGRows {
        guard let handle else { throw PGError("connection closed") }
        var texts: [String?] = []
        texts.reserveCapacity(parameters.count)
        for parameter in parameters {
            let text = parameter?.pgText
            // libpq takes C strings: a NUL would silently cut the value short.
            if let text, text.utf8.contains(0) { throw PGError("a parameter contains a NUL character") }
            texts.append(text)
        }
        let pointers = texts.map { $0.map { strdup($0) } ?? nil }
        defer { pointers.forEach { free($0) } }
        let result = pointers.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                PQexecParams(handle, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
            }
        }
        return try Self.rows(result, handle)
    }

    /// Runs a script of several statements without parameters (migrations).
    func execute(script sql: String) throws {
        guard let handle else { throw PGError("connection closed") }
        _ = try Self.rows(PQexec(handle, sql), handle)
    }

    /// Copies a result out and frees it; a failed result becomes a `PGError` with its SQLSTATE.
    private static func rows(_ result: OpaquePointer?, _ handle: OpaquePointer) throws -> PGRows {
        defer { PQclear(result) }
        guard let result else { throw PGError(result: nil, connection: handle) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            break
        default:
            throw PGError(result: result, connection: handle)
        }
        let columnCount = PQnfields(result)
        var columns: [String: Int] = [:]
        for column in 0..<columnCount { columns[String(cString: PQfname(result, column))] = Int(column) }
        let rowCount = PQntuples(result)
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            rows.append(
                (0..<columnCount).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PGRows(columns: columns, rows: rows, affected: affected)
    }
}
