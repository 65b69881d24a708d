import Foundation
import GRDB
import TestSupport
import Testing
import Webinar

@testable import PostgresStore
@testable import Store

/// Issue 14, item 11: a copy of the database holds no one's ticket code, and a database written before
/// the change is migrated (its codes hashed, still working; messages still waiting keep their link).
@Suite("Store: ticket codes at rest")
struct HashedCodesAtRestTests {
    /// Every byte SQLite wrote for the store: the database file and whatever WAL is left.
    static func fileBytes(_ directory: URL) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(SQLiteStore.fileName) }
        return try names.map { name in
            "<<\(name)>>" + String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
        }.joined()
    }

    /// Which file holds `needle`, and what is around it (for the failure message).
    static func `where`(_ needle: String, in bytes: String) -> String {
        guard let range = bytes.range(of: needle) else { return "nowhere" }
        let before = String(bytes[..<range.lowerBound])
        let file = before.components(separatedBy: "<<").last?.components(separatedBy: ">>").first ?? "?"
        let context = String(before.suffix(40)) + needle
        let printable = context.unicodeScalars.map { scalar -> String in
            scalar.value < 32 || scalar.value > 126 ? "." : String(scalar)
        }
        return "\(file): \(printable.joined())"
    }

    @Test func theSQLiteFileHoldsNoCodeOnceTheMailIsSent() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(dataDirectory: directory.url)
        _ = try store.createEvent(Fixture.newEvent(capacity: 2), hostKeyHash: "h", now: Fixture.now)
        let codes = try Fixture.register(store, count: 4).map { try #require($0.code) }
        #expect(try store.requestTicketLink(slug: "launch", email: "p3@example.com", now: Fixture.now) == .queued)
        var token: String?
        let sent = try store.deliverDueMail(now: Fixture.now, limit: 100) { mail in
            if mail.kind == .ticketLink { token = mail.linkSecret }
            return .sent(reply: "250 ok", at: Fixture.now)
        }
        #expect(sent == 5)
        try store.close()

        let bytes = try Self.fileBytes(directory.url)
        for code in codes {
            let clear = bytes.contains(code)
            let hashed = bytes.contains(SecretCode.hash(code))
            #expect(!clear, "a ticket code in the file: \(Self.where(code, in: bytes))")
            #expect(hashed, "its hash is what identifies the registration")
        }
        let recovery = try #require(token)
        let clear = bytes.contains(recovery)
        #expect(!clear, "a recovery token in the file: \(Self.where(recovery, in: bytes))")
    }

    @Test func aSQLiteFileWrittenBeforeHashingIsMigrated() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let path = directory.url.appendingPathComponent(SQLiteStore.fileName).path
        let oldCode = "bch_t_0123456789abcdefghijkl"
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v5-comment-nonces")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO events (slug, title, starts_at, capacity, tickets_issued, last_queue, host_key_hash, created_at)
                        VALUES ('launch', 'Launch', ?, 5, 2, 2, 'h', 0);
                        INSERT INTO registrations (event_id, code, author_id, name, email, status, queue, created_at)
                        VALUES (1, ?, 'author-a', 'Ada', 'ada@example.com', 'ticketed', 1, 0),
                               (1, 'legacyCodeWithoutPrefix', 'author-b', 'Bob', 'bob@example.com', 'ticketed', 2, 0);
                        INSERT INTO mail_outbox (event_id, registration_id, kind, status, next_attempt_at, created_at, finished_at)
                        VALUES (1, 1, 'confirmed', 'sent', 0, 0, 1), (1, 2, 'confirmed', 'pending', 0, 0, NULL);
                        """, arguments: [Fixture.starts.timeIntervalSince1970, oldCode])
            }
        }
        let store = try SQLiteStore(dataDirectory: directory.url)
        #expect(try store.registration(code: oldCode)?.name == "Ada", "an existing code keeps working")
        #expect(try store.registration(code: "legacyCodeWithoutPrefix")?.name == "Bob")
        var links: [String?] = []
        _ = try store.deliverDueMail(now: Fixture.now, limit: 10) { mail in
            links.append(mail.linkSecret)
            return .sent(reply: "250 ok", at: Fixture.now)
        }
        #expect(links == ["legacyCodeWithoutPrefix"], "the waiting message still links to its ticket")
        let more = try store.register(slug: "launch", name: "Cy", email: "cy@example.com", now: Fixture.now)
        #expect(more.registration.id == 3 && more.created)
        try store.close()
        let bytes = try Self.fileBytes(directory.url)
        let clear = bytes.contains(oldCode)
        #expect(!clear, "the old code in the file: \(Self.where(oldCode, in: bytes))")
    }

    @Test(.enabled(if: TestDatabase.serverURL != nil))
    func aPostgreSQLDatabaseWrittenBeforeHashingIsMigratedAndHoldsNoCode() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let oldCode = "bch_t_0123456789abcdefghijkl"
        do {
            let db = try PGConnection(database.url)
            defer { db.close() }
            // The schema as v5 left it, with a row written by that version.
            for migration in PostgresMigrations.all.prefix(5) {
                try db.execute(script: migration.sql)
                try db.query(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
                )
                try db.query("INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version])
            }
            try db.query(
                """
                INSERT INTO events (slug, title, starts_at, capacity, tickets_issued, last_queue, host_key_hash, created_at)
                VALUES ('launch', 'Launch', $1, 5, 1, 1, 'h', 0)
                """, [Fixture.starts])
            try db.query(
                """
                INSERT INTO registrations (event_id, code, author_id, name, email, status, queue, created_at)
                SELECT id, $1, 'author-a', 'Ada', 'ada@example.com', 'ticketed', 1, 0 FROM events
                """, [oldCode])
            try db.query(
                """
                INSERT INTO mail_outbox (event_id, registration_id, kind, next_attempt_at, created_at)
                SELECT event_id, id, 'confirmed', 0, 0 FROM registrations
                """)
        }
        let store = try PostgresStore(url: database.url)
        defer { store.close() }
        #expect(try store.registration(code: oldCode)?.name == "Ada")
        var links: [String?] = []
        _ = try store.deliverDueMail(now: Fixture.now, limit: 10) { mail in
            links.append(mail.linkSecret)
            return .sent(reply: "250 ok", at: Fixture.now)
        }
        #expect(links == [oldCode])
        let bob = try #require(
            try store.register(slug: "launch", name: "Bob", email: "bob@example.com", now: Fixture.now).registration.code)
        _ = try store.deliverDueMail(now: Fixture.now, limit: 10) { _ in .sent(reply: "250 ok", at: Fixture.now) }

        let db = try PGConnection(database.url)
        defer { db.close() }
        for code in [oldCode, bob] {
            let rows = try db.query(
                """
                SELECT (SELECT count(*) FROM registrations r WHERE r::text LIKE '%' || $1 || '%') AS clear,
                    (SELECT count(*) FROM mail_outbox m WHERE m::text LIKE '%' || $1 || '%') AS mailed,
                    (SELECT count(*) FROM registrations WHERE code_hash = $2) AS hashed
                """, [code, SecretCode.hash(code)]
            ).all
            #expect(try rows.first?.int("clear") == 0 && rows.first?.int("mailed") == 0, "\(code) stored in clear")
            #expect(try rows.first?.int("hashed") == 1)
        }
    }
}
