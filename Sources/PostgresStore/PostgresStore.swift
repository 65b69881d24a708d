import Foundation
import Synchronization
public import Webinar

/// ``WebinarStore`` over PostgreSQL through libpq: the store for Backchannel beyond one machine, where
/// several server nodes share one database. The same behaviour as `SQLiteStore` (the same tests run
/// against both).
///
/// Concurrency: a fixed pool of connections (``PGPool``) serves any number of threads. Every decision that
/// must not race (seat or waitlist, waitlist place, promotion, comment ids) is made in ONE transaction that
/// first locks the event row (`SELECT … FOR UPDATE`), so it holds across nodes, not only across threads.
/// Comment ids come from the per-event counter `events.last_comment_id`, bumped under that lock, so ids
/// grow strictly per event in commit order (a global sequence would not: it hands out ids before commit).
/// Transactions that lock several events lock them in id order, so two batches never deadlock.
///
/// Durability: the server's default `synchronous_commit = on`: a call returns after its commit is flushed
/// to the server's WAL.
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/15/explicit-locking.html>
public final class PostgresStore: WebinarStore {
    let pool: PGPool
    /// The mail sender's own connection, opened on first use (see `deliverDueMail`).
    let mailPool = Mutex<PGPool?>(nil)
    /// Where the store connects, for the bus's own listening connection.
    public let url: String

    /// Connects `poolSize` connections to `url` (`postgresql://user@host:port/database`, or a libpq
    /// `key=value` string) and applies pending migrations.
    public init(url: String, poolSize: Int = 4) throws {
        self.url = url
        self.pool = try PGPool(url: url, size: poolSize)
        _ = try self.pool.withConnection { connection in try PostgresMigrations.migrate(connection) }
    }

    /// Closes every connection once in-flight calls are done; the store must not be used afterwards.
    public func close() {
        self.pool.close()
        self.mailPool.withLock { $0?.close() }
    }

    /// libpq cannot send a NUL character; no stored slug or code contains one, so a lookup with one finds
    /// nothing, as it would in SQLite.
    static func findable(_ key: String) -> Bool {
        !key.utf8.contains(0)
    }
}
