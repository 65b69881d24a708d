import Foundation
import GRDB
import Store
import Synchronization
import Testing
import Webinar

@Suite("SQLiteStore: concurrency, durability, schema")
struct SQLiteStoreTests {
    @Test func thousandConcurrentRegistrationsForAHundredSeats() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(dataDirectory: directory.url)
        _ = try store.createEvent(Fixture.newEvent(capacity: 100), hostKeyHash: "h", now: Fixture.now)

        let results = Mutex<[Registration]>([])
        let failures = Mutex<[String]>([])
        let threadCount = 25
        let perThread = 40
        let done = DispatchGroup()
        for thread in 0..<threadCount {
            done.enter()
            Thread {
                defer { done.leave() }
                for index in 0..<perThread {
                    let n = thread * perThread + index
                    do {
                        let result = try store.register(
                            slug: "launch", name: "Person \(n)", email: "p\(n)@example.com", now: Fixture.now)
                        results.withLock { $0.append(result.registration) }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }.start()
        }
        done.wait()

        #expect(failures.withLock { $0 }.isEmpty)
        let all = results.withLock { $0 }
        #expect(all.count == 1000)
        #expect(all.filter { $0.status == .ticketed }.count == 100)
        #expect(all.compactMap(\.position).sorted() == Array(1...900))
        let event = try #require(try store.event(slug: "launch"))
        #expect(event.ticketsIssued == 100)
        #expect(event.waitlistLength == 900)
        let stored = try store.registrations(slug: "launch")
        #expect(stored.filter { $0.status == .ticketed }.count == 100)
        #expect(stored.compactMap(\.position).sorted() == Array(1...900))
        try store.close()
    }

    @Test func reopeningKeepsEverything() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let before: (events: [Event], registrations: [Registration], comments: [Webinar.Comment], log: [ModerationLogEntry])
        do {
            let store = try SQLiteStore(dataDirectory: directory.url)
            let event = try store.createEvent(Fixture.newEvent(capacity: 2), hostKeyHash: "hash", now: Fixture.now)
            _ = try store.updateEvent(
                slug: "launch", patch: EventPatch(slowModeSeconds: 5, blockedWords: ["spam"]), now: Fixture.now)
            let people = try Fixture.register(store, count: 4)
            _ = try store.cancel(code: people[0].issuedCode, now: Fixture.now)
            let comments = try store.appendComments(
                [
                    NewComment(eventId: event.id, authorId: people[1].authorId, author: "Person 1", text: "Hi"),
                    NewComment(eventId: event.id, authorId: people[2].authorId, author: "Person 2", text: "Q?", held: true),
                ], now: Fixture.now)
            _ = try store.like(eventId: event.id, commentId: comments[0].id, likerId: people[2].authorId)
            _ = try store.setPinned(eventId: event.id, id: comments[0].id, true)
            try store.appendModerationLog(
                NewModerationLogEntry(eventId: event.id, actor: .host, action: .pin, target: "1", createdAt: Fixture.now))
            before = (
                try store.events(), try store.registrations(slug: "launch"),
                try store.comments(eventId: event.id, after: nil, limit: 100, includeHidden: true),
                try store.moderationLog(eventId: event.id)
            )
            try store.close()
        }
        let reopened = try SQLiteStore(dataDirectory: directory.url)
        let eventId = before.events[0].id
        #expect(try reopened.events() == before.events)
        #expect(try reopened.hostKeyHash(slug: "launch") == "hash")
        #expect(try reopened.registrations(slug: "launch") == before.registrations)
        #expect(try reopened.comments(eventId: eventId, after: nil, limit: 100, includeHidden: true) == before.comments)
        #expect(try reopened.moderationLog(eventId: eventId) == before.log)
        #expect(try reopened.lastCommentId(eventId: eventId) == 2)
        #expect(try reopened.like(eventId: eventId, commentId: 1, likerId: before.registrations[2].authorId) == (1, false))
        // Counters carry on where they stopped.
        let next = try Fixture.register(reopened, count: 1, from: 10)
        #expect(next.first?.position == 2)
        try reopened.close()
    }

    /// A committed write is in the file (the WAL) when `write` returns, not in this process's memory:
    /// another connection sees it while the writer is still open, as a restart after `kill -9` would.
    @Test func committedWritesAreInTheFileBeforeClose() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try SQLiteStore(dataDirectory: directory.url)
        let event = try writer.createEvent(Fixture.newEvent(), hostKeyHash: "h", now: Fixture.now)
        let ada = try Fixture.register(writer, count: 1)[0]
        _ = try writer.appendComments(
            [NewComment(eventId: event.id, authorId: ada.authorId, author: "Ada", text: "Hello")], now: Fixture.now)
        let other = try SQLiteStore(dataDirectory: directory.url)
        #expect(try other.registration(code: ada.issuedCode) == ada.asStored)
        #expect(try other.lastCommentId(eventId: event.id) == 1)
        try other.close()
        try writer.close()
    }

    @Test func concurrentBatchesGetContiguousIds() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(dataDirectory: directory.url)
        let event = try store.createEvent(Fixture.newEvent(), hostKeyHash: "h", now: Fixture.now)
        let ids = Mutex<[Int64]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for batch in 0..<25 {
                let comments = (0..<4).map {
                    NewComment(eventId: event.id, authorId: "a\(thread)", author: "A", text: "\(batch)-\($0)")
                }
                let stored = (try? store.appendComments(comments, now: Fixture.now)) ?? []
                #expect(stored.map(\.id) == stored.map(\.id).sorted())
                ids.withLock { $0.append(contentsOf: stored.map(\.id)) }
            }
        }
        #expect(ids.withLock { $0 }.sorted() == Array(1...800))
        try store.close()
    }

    @Test func fileSettings() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(dataDirectory: directory.url.appendingPathComponent("nested"))
        #expect(store.path.hasSuffix("nested/backchannel.sqlite"))
        let pool = try DatabaseQueue(path: store.path)
        try pool.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            #expect(
                migrations == [
                    "v1-events-registrations", "v2-comments", "v3-mail-outbox", "v4-event-time-zone", "v5-comment-nonces",
                    "v6-hashed-ticket-codes", "v7-claim-windows", "v8-questions",
                ])
        }
        try store.close()
    }

    @Test func schemaRefusesWhatTheCodeMustNeverWrite() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(dataDirectory: directory.url)
        let event = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
        let ada = try Fixture.register(store, count: 1)[0]
        try store.close()
        let queue = try DatabaseQueue(path: directory.url.appendingPathComponent(SQLiteStore.fileName).path)
        let forbidden = [
            "UPDATE events SET tickets_issued = 2 WHERE id = \(event.id)",
            "UPDATE events SET capacity = 0 WHERE id = \(event.id)",
            "UPDATE registrations SET status = 'maybe'",
            "INSERT INTO registrations (event_id, code, author_id, name, email, status, queue, created_at) "
                + "VALUES (\(event.id), 'c2', 'a2', 'Bob', '\(ada.email)', 'waitlisted', 9, 0)",
            "INSERT INTO registrations (event_id, code, author_id, name, email, status, queue, created_at) "
                + "VALUES (\(event.id), '\(ada.issuedCode)', 'a3', 'Bob', 'bob@example.com', 'waitlisted', 10, 0)",
            "INSERT INTO registrations (event_id, code, author_id, name, email, status, queue, created_at) "
                + "VALUES (999, 'c4', 'a4', 'Bob', 'bob@example.com', 'waitlisted', 11, 0)",
            "INSERT INTO events (slug, title, starts_at, capacity, host_key_hash, created_at) "
                + "VALUES ('launch', 'Dup', 0, 1, 'h', 0)",
        ]
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            for sql in forbidden {
                #expect(throws: DatabaseError.self, "\(sql)") { try db.execute(sql: sql) }
            }
        }
    }

    /// Not a benchmark gate (debug builds on shared cores vary); prints the rate for the record.
    @Test func registrationThroughput() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(dataDirectory: directory.url)
        _ = try store.createEvent(Fixture.newEvent(capacity: 2500), hostKeyHash: "h", now: Fixture.now)
        let count = 5000
        let start = ContinuousClock.now
        try Fixture.register(store, count: count)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("SQLiteStore: \(count) registrations in \(elapsed) = \(Int(Double(count) / seconds))/s")
        #expect(try store.event(slug: "launch")?.waitlistLength == 2500)
        try store.close()
    }
}
