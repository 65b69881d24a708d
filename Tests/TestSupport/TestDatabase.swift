import Foundation

@testable import PostgresStore

/// A fresh, empty PostgreSQL database on the server named by `BACKCHANNEL_TEST_POSTGRES_URL`, so every
/// test has its own and tests can run in parallel; `drop()` removes it (`WITH (FORCE)` ends any session
/// a failed test left open).
public struct TestDatabase: Sendable {
    public static let variable = "BACKCHANNEL_TEST_POSTGRES_URL"

    /// The admin URL (any database the user may connect to, e.g. `postgres`), or nil to skip PostgreSQL.
    public static var serverURL: String? {
        guard let url = ProcessInfo.processInfo.environment[Self.variable], !url.isEmpty else { return nil }
        return url
    }

    public let name = "bc_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    /// This database's URL.
    public let url: String
    private let adminURL: String

    public init() throws {
        guard let adminURL = Self.serverURL else { throw PGError("\(Self.variable) is not set") }
        self.adminURL = adminURL
        self.url = Self.url(adminURL, database: self.name)
        let admin = try PGConnection(adminURL)
        defer { admin.close() }
        try admin.query("CREATE DATABASE \(self.name)")
    }

    public func drop() {
        guard let admin = try? PGConnection(self.adminURL) else { return }
        defer { admin.close() }
        _ = try? admin.query("DROP DATABASE IF EXISTS \(self.name) WITH (FORCE)")
    }

    /// `url` pointed at `database`: the path of a `postgresql://` URL, or a later `dbname=` in a
    /// `key=value` string (libpq keeps the last value of a repeated keyword).
    public static func url(_ url: String, database: String) -> String {
        guard var components = URLComponents(string: url), components.scheme?.hasPrefix("postgres") == true else {
            return url + " dbname=\(database)"
        }
        components.path = "/" + database
        return components.string ?? url
    }

    /// Lets new connections into this database, or refuses them all (as a database that is down would);
    /// connections already open keep working.
    public func allowConnections(_ allowed: Bool) throws {
        let admin = try PGConnection(self.adminURL)
        defer { admin.close() }
        try admin.query("ALTER DATABASE \"\(self.name)\" WITH ALLOW_CONNECTIONS \(allowed)")
    }

    /// Ends every server node's listening connection on this database (as a network cut would);
    /// returns how many there were.
    public func terminateListeners() throws -> Int {
        let admin = try PGConnection(self.adminURL)
        defer { admin.close() }
        return try admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN %'",
            [self.name]
        ).count
    }
}
