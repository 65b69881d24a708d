import Foundation
import LiveHub
import Store
import Synchronization
import Testing
import Webinar

/// The writer over a real (in-memory) store. A host action that takes its time (`perform` with a
/// wait) holds the writer thread the way a slow commit would, so the queue behind it can be seen.
@Suite struct CommentWriterTests {
    private func room() throws -> (InMemoryStore, Int64) {
        let store = InMemoryStore()
        let event = try store.createEvent(NewEvent(slug: "w", title: "W", startsAt: Date(), capacity: 5), hostKeyHash: "h", now: Date())
        return (store, event.id)
    }

    @Test func aFullQueueRefusesAtOnceAndTakesWorkAgainOnceItDrains() throws {
        let (store, eventId) = try self.room()
        let writer = CommentWriter(store: store, maxQueue: 4)
        defer { writer.stop() }
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        #expect(
            writer.perform {
                started.signal()
                release.wait()
            })
        started.wait()  // the writer thread is busy; everything below waits in the queue
        let committed = Mutex<[String]>([])
        func comment(_ text: String) -> Bool {
            writer.submit(NewComment(eventId: eventId, authorId: "a", author: "A", text: text)) { result in
                if case .success(let stored) = result { committed.withLock { $0.append(stored.comment.text) } }
            }
        }
        #expect(comment("1") && comment("2") && comment("3"))
        #expect(writer.like(LikeRequest(eventId: eventId, commentId: 1, likerId: "b")) { _, _ in })
        #expect(!comment("5"), "the fifth request waits behind four: refused")
        #expect(!writer.perform {}, "actions are bounded too")
        #expect(!writer.like(LikeRequest(eventId: eventId, commentId: 1, likerId: "c")) { _, _ in })
        #expect(writer.refused.load(ordering: .relaxed) == 3)
        #expect(CommentWriter.overloaded.code == "overloaded" && CommentWriter.overloaded.retryAfter == 1)
        release.signal()
        let drained = DispatchSemaphore(value: 0)
        while !writer.perform({ drained.signal() }) { usleep(1000) }
        drained.wait()
        #expect(committed.withLock { $0 } == ["1", "2", "3"])
        #expect(try store.comment(eventId: eventId, id: 1)?.likes == 1)
        #expect(comment("after"))
    }

    @Test func likesWaitingTogetherCommitInOneBatchAndOnlyTheLastChangePerCommentPublishes() throws {
        let (store, eventId) = try self.room()
        _ = try store.appendComments(
            (1...3).map { NewComment(eventId: eventId, authorId: "a", author: "A", text: "c\($0)") }, now: Date())
        let writer = CommentWriter(store: store)
        defer { writer.stop() }
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        #expect(
            writer.perform {
                started.signal()
                release.wait()
            })
        started.wait()
        struct Seen: Equatable {
            let index: Int
            let likes: Int?
            let changed: Bool?
            let code: String?
            let latest: Bool
        }
        let seen = Mutex<[Seen]>([])
        let likes: [(Int64, String)] = [(1, "p1"), (1, "p2"), (2, "p1"), (1, "p1"), (9, "p1"), (1, "p3"), (2, "p2")]
        for (index, (commentId, liker)) in likes.enumerated() {
            #expect(
                writer.like(LikeRequest(eventId: eventId, commentId: commentId, likerId: liker)) { result, latest in
                    let outcome = try? result.get()
                    let code = { () -> String? in
                        if case .failure(let error) = result { return error.code }
                        return nil
                    }()
                    seen.withLock {
                        $0.append(Seen(index: index, likes: outcome?.likes, changed: outcome?.changed, code: code, latest: latest))
                    }
                })
        }
        let batchesBefore = writer.likeBatchesCommitted.load(ordering: .relaxed)
        release.signal()
        let drained = DispatchSemaphore(value: 0)
        #expect(writer.perform { drained.signal() })
        drained.wait()
        #expect(writer.likeBatchesCommitted.load(ordering: .relaxed) - batchesBefore == 1, "seven likes, one transaction")
        #expect(
            seen.withLock { $0 } == [
                Seen(index: 0, likes: 1, changed: true, code: nil, latest: false),
                Seen(index: 1, likes: 2, changed: true, code: nil, latest: false),
                Seen(index: 2, likes: 1, changed: true, code: nil, latest: false),
                Seen(index: 3, likes: 2, changed: false, code: nil, latest: false),
                Seen(index: 4, likes: nil, changed: nil, code: "comment_not_found", latest: false),
                Seen(index: 5, likes: 3, changed: true, code: nil, latest: true),
                Seen(index: 6, likes: 2, changed: true, code: nil, latest: true),
            ])
        #expect(try store.comment(eventId: eventId, id: 1)?.likes == 3)
        #expect(try store.comment(eventId: eventId, id: 2)?.likes == 2)
    }
}
