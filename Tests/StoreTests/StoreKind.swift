import Foundation
import Store
import Webinar

/// The two implementations every behaviour test runs against.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory, sqlite

    var description: String { self.rawValue }

    /// Runs `body` with a fresh store; a SQLite store lives in a temporary directory removed afterwards.
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

    static func newEvent(slug: String? = "launch", capacity: Int = 3, title: String = "Launch day") -> NewEvent {
        NewEvent(slug: slug, title: title, startsAt: Self.starts, endsAt: Self.starts + 3600, capacity: capacity)
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
