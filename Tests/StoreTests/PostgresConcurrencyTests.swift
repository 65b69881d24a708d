import Foundation
import PostgresStore
import Store
import Synchronization
import TestSupport
import Testing
import Webinar

/// Two `PostgresStore`s on one database stand for two server nodes: the seat and id decisions must hold
/// across them, not only across one process's threads.
@Suite("PostgresStore: two nodes, one database", .enabled(if: TestDatabase.serverURL != nil))
struct PostgresConcurrencyTests {
    /// Runs `perThread` iterations on `threads` threads for each node, all at once.
    private static func onEveryNode(
        _ nodes: [PostgresStore], threads: Int,
        _ body: @escaping @Sendable (PostgresStore, _ node: Int, _ thread: Int) -> Void
    ) {
        let done = DispatchGroup()
        for (index, node) in nodes.enumerated() {
            for thread in 0..<threads {
                done.enter()
                Thread {
                    defer { done.leave() }
                    body(node, index, thread)
                }.start()
            }
        }
        done.wait()
    }

    @Test func twoNodesRegisteringFourHundredPeopleForFiftySeats() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let nodes = [try PostgresStore(url: database.url), try PostgresStore(url: database.url)]
        defer { nodes.forEach { $0.close() } }
        _ = try nodes[0].createEvent(Fixture.newEvent(capacity: 50), hostKeyHash: "h", now: Fixture.now)

        let results = Mutex<[Registration]>([])
        let failures = Mutex<[String]>([])
        let threads = 8
        let perThread = 25  // 200 people per node
        Self.onEveryNode(nodes, threads: threads) { store, node, thread in
            for index in 0..<perThread {
                let n = (node * threads + thread) * perThread + index
                do {
                    let result = try store.register(
                        slug: "launch", name: "Person \(n)", email: "p\(n)@example.com", now: Fixture.now)
                    results.withLock { $0.append(result.registration) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }

        let failed = failures.withLock { $0 }
        #expect(failed.isEmpty, "\(failed.count) failures, first: \(failed.prefix(3))")
        let all = results.withLock { $0 }
        #expect(all.count == 400)
        #expect(all.filter { $0.status == .ticketed }.count == 50)
        #expect(all.compactMap(\.position).sorted() == Array(1...350))
        for node in nodes {
            let event = try #require(try node.event(slug: "launch"))
            #expect(event.ticketsIssued == 50)
            #expect(event.waitlistLength == 350)
            let stored = try node.registrations(slug: "launch")
            #expect(stored.count == 400)
            #expect(stored.filter { $0.status == .ticketed }.count == 50)
            #expect(stored.compactMap(\.position).sorted() == Array(1...350))
        }
    }

    @Test func twoNodesAppendingCommentsGetStrictlyIncreasingIds() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let nodes = [try PostgresStore(url: database.url), try PostgresStore(url: database.url)]
        defer { nodes.forEach { $0.close() } }
        let event = try nodes[0].createEvent(Fixture.newEvent(), hostKeyHash: "h", now: Fixture.now)

        let ids = Mutex<[Int64]>([])
        let failures = Mutex<[String]>([])
        let threads = 8
        let batches = 20
        let perBatch = 3
        Self.onEveryNode(nodes, threads: threads) { store, node, thread in
            var previous: Int64 = 0
            for batch in 0..<batches {
                let comments = (0..<perBatch).map {
                    NewComment(
                        eventId: event.id, authorId: "a\(node)-\(thread)", author: "A",
                        text: "\(node)-\(thread)-\(batch)-\($0)")
                }
                do {
                    let stored = try store.appendComments(comments, now: Fixture.now)
                    // Within a batch, and from one thread's batch to its next (committed later), ids grow.
                    let batchIds = stored.map(\.id)
                    let increasing = zip([previous] + batchIds, batchIds).allSatisfy { $0 < $1 }
                    if !increasing {
                        failures.withLock { $0.append("not increasing: \(previous) then \(batchIds)") }
                    }
                    previous = batchIds.last ?? previous
                    ids.withLock { $0.append(contentsOf: batchIds) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }

        let total = 2 * threads * batches * perBatch
        let failed = failures.withLock { $0 }
        #expect(failed.isEmpty, "\(failed.count) failures, first: \(failed.prefix(3))")
        #expect(ids.withLock { $0 }.sorted() == (1...Int64(total)).map { $0 })
        guard failed.isEmpty else { return }
        for node in nodes {
            #expect(try node.lastCommentId(eventId: event.id) == Int64(total))
            let stored = try node.comments(eventId: event.id, after: nil, limit: total + 10, includeHidden: true)
            #expect(stored.map(\.id) == (1...Int64(total)).map { $0 })
            let expected = Set(
                (0..<2).flatMap { node in
                    (0..<threads).flatMap { thread in
                        (0..<batches).flatMap { batch in (0..<perBatch).map { "\(node)-\(thread)-\(batch)-\($0)" } }
                    }
                })
            #expect(Set(stored.map(\.text)) == expected)
        }
    }
}
