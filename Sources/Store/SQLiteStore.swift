import Foundation
import GRDB
import Webinar

/// ``WebinarStore`` over one SQLite file, `<dataDirectory>/backchannel.sqlite`, through a GRDB `DatabasePool`.
///
/// Durability: WAL journal with `synchronous = NORMAL`. A committed transaction is in the WAL before
/// `write` returns, so it survives the process being killed (`kill -9`, a crash); only a power loss or
/// kernel panic can roll back the last few transactions (the WAL is fsynced at checkpoints, not at each
/// commit). That is what lets one writer commit thousands of small transactions per second.
///
/// Concurrency: GRDB serializes writes on one connection, and every decision that must not race (seats,
/// waitlist place, promotion, comment ids) is made inside one `dbPool.write` transaction, so it holds under
/// any number of calling threads. Reads run in parallel on WAL snapshots. Foreign keys are on, and a busy
/// timeout covers another process holding the write lock.
///
/// Related SQLite documentation: <https://www.sqlite.org/wal.html>, <https://www.sqlite.org/pragma.html#pragma_synchronous>
public struct SQLiteStore: WebinarStore {
    /// The database file's name inside the data directory.
    public static let fileName = "backchannel.sqlite"

    let dbPool: DatabasePool

    /// Opens (creating the directory and file if needed) and migrates the store in `dataDirectory`.
    public init(dataDirectory: URL, busyTimeout: TimeInterval = 5) throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        try self.init(path: dataDirectory.appendingPathComponent(Self.fileName).path, busyTimeout: busyTimeout)
    }

    /// Opens and migrates the store at the file `path`.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        self.dbPool = try DatabasePool(path: path, configuration: configuration)
        try StoreMigrations.migrator.migrate(self.dbPool)
    }

    /// Closes every connection; the store must not be used afterwards.
    public func close() throws {
        try self.dbPool.close()
    }

    /// The path of the database file.
    public var path: String { self.dbPool.path }
}
