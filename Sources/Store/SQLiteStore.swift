public import Foundation
import GRDB
public import Webinar

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

    /// Opens (creating the directory, mode 0700, and the file if needed) and migrates the store in `dataDirectory`.
    public init(dataDirectory: URL, busyTimeout: TimeInterval = 5) throws {
        try FileManager.default.createDirectory(
            at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try self.init(path: dataDirectory.appendingPathComponent(Self.fileName).path, busyTimeout: busyTimeout)
    }

    /// Opens and migrates the store at the file `path`.
    ///
    /// The database holds every email address (ticket codes only as hashes), so it is readable by its owner only:
    /// the file is created 0600 before SQLite opens it, and SQLite gives its WAL and shared-memory
    /// files the database file's mode. Files an older version left 0644 are tightened here.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        try Self.restrictPermissions(path: path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A message's link secret is cleared once it is sent: zero the bytes it leaves in its page
            // (FAST: only where that costs no extra I/O), so the file keeps no copy of the code.
            try db.execute(sql: "PRAGMA secure_delete = FAST")
        }
        self.dbPool = try DatabasePool(path: path, configuration: configuration)
        // Asked on the writer, not a reader: a reader opened before a migration keeps the old schema's
        // columns for `SELECT *` afterwards (GRDB maps columns at prepare time), so the first event read
        // after an upgrade would miss the new ones.
        let hashedAlready = try self.dbPool.writeWithoutTransaction { db in
            try StoreMigrations.migrator.hasCompletedMigrations(db)
        }
        try StoreMigrations.migrator.migrate(self.dbPool)
        // Upgrading hashed the codes in the WAL; move that into the file now, so the pages that held the
        // clear codes are overwritten rather than kept until the next checkpoint.
        if !hashedAlready { try self.truncateLog() }
    }

    /// Closes every connection; the store must not be used afterwards. The WAL is checkpointed and
    /// truncated first: old page versions in it may hold a message's link secret (a ticket code waits
    /// there until its mail is sent), and a stopped server should leave only the database file's
    /// current pages behind.
    public func close() throws {
        try? self.truncateLog()
        try self.dbPool.close()
    }

    /// Copies the WAL into the database file and empties it.
    func truncateLog() throws {
        try self.dbPool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// The path of the database file.
    public var path: String { self.dbPool.path }

    /// Creates the database file 0600 if it is missing, and sets 0600 on it and on its `-wal` and
    /// `-shm` files where they exist. (A file that cannot be created is reported by the open that follows.)
    static func restrictPermissions(path: String) throws {
        let files = FileManager.default
        if !files.fileExists(atPath: path) {
            _ = files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        for file in [path, path + "-wal", path + "-shm"] where files.fileExists(atPath: file) {
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }
}
