import Foundation
import Synchronization
import TestSupport
import Testing
import Webinar

@testable import PostgresStore

/// PostgreSQL-only behaviour: CI must test it, migrations, reopening, and the schema's own guards.
@Suite("PostgresStore: setup, migrations, schema")
struct PostgresStoreTests {
    /// The behaviour suites silently leave PostgreSQL out without a server; CI must never do that.
    @Test func continuousIntegrationRunsAgainstPostgres() {
        let environment = ProcessInfo.processInfo.environment
        if let ci = environment["CI"], !ci.isEmpty {
            #expect(
                TestDatabase.serverURL != nil,
                "CI is set but \(TestDatabase.variable) is not: the store suites would skip PostgreSQL")
        }
    }

    @Test(.enabled(if: TestDatabase.serverURL != nil))
    func nodesStartingTogetherMigrateOnceAndReopeningKeepsEverything() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        // Several nodes starting at once on an empty database: the advisory lock serializes them.
        let opened = Mutex<[PostgresStore]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let store = try PostgresStore(url: database.url, poolSize: 1)
                opened.withLock { $0.append(store) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        opened.withLock { $0.forEach { $0.close() } }

        let admin = try PGConnection(database.url)
        defer { admin.close() }
        let versions = try admin.query("SELECT version FROM schema_migrations ORDER BY version").all
            .map { try $0.string("version") }
        #expect(versions == PostgresMigrations.all.map(\.version))
        #expect(try PostgresMigrations.migrate(admin) == [])

        let before: (events: [Event], registrations: [Registration], comments: [Webinar.Comment])
        let eventId: Int64
        do {
            let store = try PostgresStore(url: database.url)
            defer { store.close() }
            let event = try store.createEvent(Fixture.newEvent(capacity: 2), hostKeyHash: "hash", now: Fixture.now)
            eventId = event.id
            _ = try store.updateEvent(
                slug: "launch", patch: EventPatch(slowModeSeconds: 5, blockedWords: ["spam", "Ünïcode \"q\""]),
                now: Fixture.now)
            let people = try Fixture.register(store, count: 4)
            _ = try store.cancel(code: people[0].issuedCode, now: Fixture.now)
            _ = try store.appendComments(
                [
                    NewComment(
                        eventId: event.id, authorId: people[1].authorId, author: "Person 1", text: "Hi, \"you\" \\ {}")
                ],
                now: Fixture.now.addingTimeInterval(0.25))
            before = (
                try store.events(), try store.registrations(slug: "launch"),
                try store.comments(eventId: event.id, after: nil, limit: 100, includeHidden: true)
            )
        }
        let reopened = try PostgresStore(url: database.url)
        defer { reopened.close() }
        #expect(try reopened.events() == before.events)
        #expect(try reopened.event(slug: "launch")?.blockedWords == ["spam", "Ünïcode \"q\""])
        #expect(try reopened.registrations(slug: "launch") == before.registrations)
        #expect(try reopened.comments(eventId: eventId, after: nil, limit: 100, includeHidden: true) == before.comments)
        #expect(before.comments.first?.createdAt == Fixture.now.addingTimeInterval(0.25))
        #expect(try Fixture.register(reopened, count: 1, from: 10).first?.position == 2)
    }

    @Test(.enabled(if: TestDatabase.serverURL != nil))
    func schemaRefusesWhatTheCodeMustNeverWrite() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let store = try PostgresStore(url: database.url)
        let event = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
        let ada = try Fixture.register(store, count: 1)[0]
        store.close()
        let db = try PGConnection(database.url)
        defer { db.close() }
        let insert =
            "INSERT INTO registrations (event_id, code, author_id, name, email, status, queue, created_at) VALUES "
        let duplicateEvent =
            "INSERT INTO events (slug, title, starts_at, capacity, host_key_hash, created_at) "
            + "VALUES ('launch', 'Dup', 0, 1, 'h', 0)"
        let forbidden = [
            "UPDATE events SET tickets_issued = 2 WHERE id = \(event.id)",
            "UPDATE events SET capacity = 0 WHERE id = \(event.id)",
            "UPDATE events SET blocked_words = '{}' WHERE id = \(event.id)",
            "UPDATE registrations SET status = 'maybe'",
            insert + "(\(event.id), 'c2', 'a2', 'Bob', ' \(ada.email.uppercased())', 'waitlisted', 9, 0)",
            insert + "(\(event.id), '\(ada.issuedCode)', 'a3', 'Bob', 'bob@example.com', 'waitlisted', 10, 0)",
            insert + "(999, 'c4', 'a4', 'Bob', 'bob@example.com', 'waitlisted', 11, 0)",
            duplicateEvent,
            "INSERT INTO comments (event_id, id, author_id, author, text, status, created_at) "
                + "VALUES (\(event.id), 0, 'a', 'A', 'x', 'visible', 0)",
        ]
        for sql in forbidden {
            #expect(throws: PGError.self, "\(sql)") { try db.query(sql) }
        }
        // createEvent maps exactly this violation to `slug_taken` when another node took the slug first.
        #expect {
            try db.query(duplicateEvent)
        } throws: { error in
            (error as? PGError)?.sqlState == "23505" && (error as? PGError)?.constraint == "events_slug_key"
        }
    }

    /// A dropped connection fails the call that finds it broken (it may have committed, so it is not
    /// retried), and the pool reconnects it for the next call.
    @Test(.enabled(if: TestDatabase.serverURL != nil))
    func aDroppedConnectionIsResetForTheNextCall() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let store = try PostgresStore(url: database.url, poolSize: 1)
        defer { store.close() }
        _ = try store.createEvent(Fixture.newEvent(), hostKeyHash: "h", now: Fixture.now)
        let admin = try PGConnection(database.url)
        defer { admin.close() }
        try admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            [database.name])
        // pg_terminate_backend only signals; wait until the backend is gone.
        let others = "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()"
        for _ in 0..<500 where try !admin.query(others, [database.name]).isEmpty { usleep(10_000) }
        #expect(throws: (any Error).self) { try store.event(slug: "launch") }
        #expect(try store.event(slug: "launch")?.slug == "launch")
        #expect(try Fixture.register(store, count: 1).first?.status == .ticketed)
    }

    @Test(.enabled(if: TestDatabase.serverURL != nil))
    func aWrongURLFailsAtStartupWithLibpqsMessage() throws {
        let refused = try UnusedPort()
        #expect {
            _ = try PostgresStore(url: "postgresql://nobody@127.0.0.1:\(refused.port)/none")
        } throws: { error in
            "\(error)".contains("cannot connect")
        }
    }

    /// A node frozen between two statements of a transaction must not hold an event's row lock forever.
    @Test(.enabled(if: TestDatabase.serverURL != nil))
    func aSessionIdleInsideATransactionIsEndedAndItsLocksFreed() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let store = try PostgresStore(url: database.url)
        defer { store.close() }
        let event = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
        let timeout = try store.pool.withConnection { connection -> String in
            try connection.reset()  // a reset starts a new session: the setting must come back
            return try connection.query("SHOW idle_in_transaction_session_timeout").first?
                .string("idle_in_transaction_session_timeout") ?? ""
        }
        #expect(timeout == "15s", "every store connection, also after a reset, has the timeout")

        let frozen = try PGConnection(database.url, settings: [("idle_in_transaction_session_timeout", "1s")])
        defer { frozen.close() }
        try frozen.query("BEGIN")
        try frozen.query("SELECT id FROM events WHERE id = $1 FOR UPDATE", [event.id])
        let other = try PGConnection(database.url)
        defer { other.close() }
        try other.query("SET lock_timeout = '200ms'")
        #expect(throws: (any Error).self, "the row is locked while the session lives") {
            try other.query("SELECT id FROM events WHERE id = $1 FOR UPDATE", [event.id])
        }
        Thread.sleep(forTimeInterval: 2)
        #expect(
            try other.query("SELECT id FROM events WHERE id = $1 FOR UPDATE", [event.id]).first != nil,
            "the server ended the idle session and freed its lock")
        #expect(throws: (any Error).self) { try frozen.query("COMMIT") }
    }

    /// Not a benchmark gate (debug builds on shared cores vary); prints the rate of one caller for the record.
    @Test(.enabled(if: TestDatabase.serverURL != nil))
    func registrationThroughput() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let store = try PostgresStore(url: database.url)
        defer { store.close() }
        _ = try store.createEvent(Fixture.newEvent(capacity: 1000), hostKeyHash: "h", now: Fixture.now)
        let count = 2000
        let start = ContinuousClock.now
        try Fixture.register(store, count: count)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("PostgresStore: \(count) registrations in \(elapsed) = \(Int(Double(count) / seconds))/s")
        #expect(try store.event(slug: "launch")?.waitlistLength == 1000)
    }

    @Test func timestamptzTextParses() {
        #expect(PGRow.timestamp("2026-11-28 14:00:00+00") == Date(timeIntervalSince1970: 1_795_874_400))
        #expect(PGRow.timestamp("2026-11-28 15:30:00.5+01:30") == Date(timeIntervalSince1970: 1_795_874_400.5))
        #expect(PGRow.timestamp("2026-11-28 09:00:00-05") == Date(timeIntervalSince1970: 1_795_874_400))
        #expect(PGRow.timestamp("not a date") == nil)
    }
}
