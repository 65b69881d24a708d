import Foundation
import GRDB
import TestSupport
import Testing
import Webinar

@testable import PostgresStore
@testable import Store

/// Upgrading keeps behaviour: an event made before claim windows existed keeps instant promotion
/// (`claimWindowMinutes` 0); only events created afterwards get the default window of a day.
@Suite("Store: events from before claim windows keep instant promotion")
struct ClaimWindowUpgradeTests {
    /// After the upgrade: the old event says 0 and a cancel tickets the next person at once; a new event gets 1440.
    static func expectUpgradeKeepsBehaviour(_ store: any WebinarStore) throws {
        #expect(try store.event(slug: "launch")?.claimWindowMinutes == 0, "an existing event keeps instant promotion")
        let people = try Fixture.register(store, count: 2)
        #expect(people.map(\.status) == [.ticketed, .waitlisted])
        let cancelled = try store.cancel(code: people[0].issuedCode, now: Fixture.now)
        #expect(cancelled.promoted?.status == .ticketed, "the freed seat goes straight to the person waiting")
        let created = try store.createEvent(Fixture.newEvent(slug: "later"), hostKeyHash: "h2", now: Fixture.now)
        #expect(created.claimWindowMinutes == Validation.defaultClaimWindowMinutes)
        #expect(try store.event(slug: "later")?.claimWindowMinutes == 1440, "a new event gets the default window")
    }

    @Test func aSQLiteEventFromBeforeClaimWindowsKeepsInstantPromotion() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let path = directory.url.appendingPathComponent(SQLiteStore.fileName).path
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v6-hashed-ticket-codes")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO events (slug, title, starts_at, capacity, host_key_hash, created_at)
                        VALUES ('launch', 'Launch', ?, 1, 'h', 0)
                        """, arguments: [Fixture.starts.timeIntervalSince1970])
            }
        }
        let store = try SQLiteStore(dataDirectory: directory.url)
        defer { try? store.close() }
        try Self.expectUpgradeKeepsBehaviour(store)
    }

    @Test(.enabled(if: TestDatabase.serverURL != nil))
    func aPostgreSQLEventFromBeforeClaimWindowsKeepsInstantPromotion() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        do {
            let db = try PGConnection(database.url)
            defer { db.close() }
            // The schema as v6 left it, with an event written by that version.
            let before = try #require(PostgresMigrations.all.firstIndex { $0.version == "v7-claim-windows" })
            for migration in PostgresMigrations.all.prefix(before) {
                try db.execute(script: migration.sql)
                try db.query(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
                )
                try db.query("INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version])
            }
            try db.query(
                """
                INSERT INTO events (slug, title, starts_at, capacity, host_key_hash, created_at)
                VALUES ('launch', 'Launch', $1, 1, 'h', 0)
                """, [Fixture.starts])
        }
        let store = try PostgresStore(url: database.url)
        defer { store.close() }
        try Self.expectUpgradeKeepsBehaviour(store)
    }
}
