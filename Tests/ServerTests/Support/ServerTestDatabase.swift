import BackchannelServer
import Foundation
@testable import PostgresStore

/// A fresh PostgreSQL database for one server test on the server named by `BACKCHANNEL_TEST_POSTGRES_URL`
/// (as StoreTests' `TestDatabase`), dropped after; nil URL means the PostgreSQL tests are skipped.
struct ServerTestDatabase {
    static let variable = "BACKCHANNEL_TEST_POSTGRES_URL"

    static var serverURL: String? {
        guard let url = ProcessInfo.processInfo.environment[Self.variable], !url.isEmpty else { return nil }
        return url
    }

    static var isAvailable: Bool { Self.serverURL != nil }

    let name = "bc_srv_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let url: String
    private let adminURL: String

    init() throws {
        guard let adminURL = Self.serverURL else { throw PGError("\(Self.variable) is not set") }
        self.adminURL = adminURL
        var components = URLComponents(string: adminURL)
        components?.path = "/" + self.name
        guard let url = components?.string, adminURL.hasPrefix("postgres") else {
            throw PGError("\(Self.variable) must be a postgresql:// URL for the server tests")
        }
        self.url = url
        let admin = try PGConnection(adminURL)
        defer { admin.close() }
        try admin.query("CREATE DATABASE \(self.name)")
    }

    /// Ends every node's listening connection (as a network cut would); returns how many there were.
    func terminateListeners() throws -> Int {
        let admin = try PGConnection(self.adminURL)
        defer { admin.close() }
        return try admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN %'",
            [self.name]
        ).count
    }

    /// Drops the database, ending any session a stopped node left open.
    func drop() {
        guard let admin = try? PGConnection(self.adminURL) else { return }
        defer { admin.close() }
        _ = try? admin.query("DROP DATABASE IF EXISTS \(self.name) WITH (FORCE)")
    }
}

/// Two nodes on one fresh database, stopped and dropped together.
struct TwoNodes {
    let database: ServerTestDatabase
    let a: TestServer
    let b: TestServer

    init(configure: (inout ServerConfiguration) -> Void = { $0.commentRateLimit = 1000 }) throws {
        self.database = try ServerTestDatabase()
        self.a = try TestServer(databaseURL: self.database.url, configure: configure)
        self.b = try TestServer(databaseURL: self.database.url, configure: configure)
    }

    func stop() {
        self.a.stop()
        self.b.stop()
        self.database.drop()
    }
}
