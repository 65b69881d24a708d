import Foundation
import PostgresStore
import Store
import TestSupport
import Webinar

/// The implementations every behaviour test runs against.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory, sqlite, postgres

    var description: String { self.rawValue }

    /// The kinds this run can test: PostgreSQL only when `BACKCHANNEL_TEST_POSTGRES_URL` names a server
    /// (``PostgresStoreTests`` makes CI fail when it does not).
    static var available: [StoreKind] {
        TestDatabase.serverURL == nil ? [.memory, .sqlite] : [.memory, .sqlite, .postgres]
    }

    /// Runs `body` with a fresh store; a SQLite store lives in a temporary directory removed afterwards,
    /// a PostgreSQL store in a database of its own, dropped afterwards.
    func with(_ body: (any WebinarStore) throws -> Void) throws {
        switch self {
        case .memory:
            try body(InMemoryStore())
        case .sqlite:
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let store = try SQLiteStore(dataDirectory: directory.url)
            try body(store)
            try store.close()
        case .postgres:
            let database = try TestDatabase()
            defer { database.drop() }
            let store = try PostgresStore(url: database.url)
            defer { store.close() }
            try body(store)
        }
    }
}

/// A unique directory under the system's temporary directory.
struct TemporaryDirectory {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-tests-\(UUID().uuidString)")

    func remove() { try? FileManager.default.removeItem(at: self.url) }
}

/// Fixed instants, whole seconds, so dates survive any storage exactly.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let starts = Date(timeIntervalSince1970: 1_796_000_000)

    /// `claimWindowMinutes` 0: a freed seat is ticketed at once (the tests of promotion itself).
    static func newEvent(
        slug: String? = "launch", capacity: Int = 3, title: String = "Launch day", claimWindowMinutes: Int? = nil
    ) -> NewEvent {
        NewEvent(
            slug: slug, title: title, startsAt: Self.starts, endsAt: Self.starts + 3600, capacity: capacity,
            claimWindowMinutes: claimWindowMinutes)
    }

    /// Registers `count` people named p0, p1, … and returns their registrations.
    @discardableResult
    static func register(_ store: any WebinarStore, slug: String = "launch", count: Int, from first: Int = 0) throws
        -> [Registration]
    {
        try (first..<first + count).map { index in
            try store.register(slug: slug, name: "Person \(index)", email: "p\(index)@example.com", now: Self.now)
                .registration
        }
    }
}

extension Registration {
    /// The code the store just handed out ("" when it handed none, so a lookup with it fails the test).
    var issuedCode: String { self.code ?? "" }
    /// The registration as a store reads it back: without its code, which it keeps only as a hash.
    var asStored: Registration {
        var stored = self
        stored.code = nil
        return stored
    }
}
