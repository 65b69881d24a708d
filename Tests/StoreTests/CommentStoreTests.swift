import Foundation
import Store
import Testing
import Webinar

@Suite("Store: comments, likes and moderation")
struct CommentStoreTests {
    /// Two events with ids for comments.
    private func twoEvents(_ store: any WebinarStore) throws -> (Int64, Int64) {
        let a = try store.createEvent(Fixture.newEvent(slug: "a"), hostKeyHash: "h", now: Fixture.now)
        let b = try store.createEvent(Fixture.newEvent(slug: "b"), hostKeyHash: "h", now: Fixture.now)
        return (a.id, b.id)
    }

    private func new(_ eventId: Int64, _ text: String, held: Bool = false, by author: String = "u1") -> NewComment {
        NewComment(eventId: eventId, authorId: author, author: "Name \(author)", text: text, held: held, nonce: text)
    }

    @Test(arguments: StoreKind.available)
    func batchIdsGrowPerEventIndependently(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let (a, b) = try self.twoEvents(store)
            #expect(try store.lastCommentId(eventId: a) == nil)
            let first = try store.appendComments(
                [self.new(a, "a1"), self.new(b, "b1"), self.new(a, "a2", held: true), self.new(a, "a3")],
                now: Fixture.now)
            #expect(first.map(\.text) == ["a1", "b1", "a2", "a3"])
            #expect(first.map(\.id) == [1, 1, 2, 3])
            #expect(first.map(\.eventId) == [a, b, a, a])
            #expect(first[2].status == .held)
            #expect(first[0].status == .visible && first[0].likes == 0 && !first[0].pinned && !first[0].hidden)
            let second = try store.appendComments([self.new(b, "b2"), self.new(a, "a4")], now: Fixture.now)
            #expect(second.map(\.id) == [2, 4])
            #expect(try store.lastCommentId(eventId: a) == 4)
            #expect(try store.lastCommentId(eventId: b) == 2)
            #expect(try store.appendComments([], now: Fixture.now).isEmpty)
            #expect(try store.comment(eventId: a, id: 3) == first[3])
            #expect(try store.comment(eventId: a, id: 99) == nil)
        }
    }

    @Test(arguments: StoreKind.available)
    func aBatchWithAnUnknownEventStoresNothing(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let (a, _) = try self.twoEvents(store)
            #expect(throws: WebinarError.eventNotFound) {
                try store.appendComments([self.new(a, "ok"), self.new(999, "lost")], now: Fixture.now)
            }
            #expect(try store.lastCommentId(eventId: a) == nil)
            #expect(try store.comments(eventId: a, after: nil, limit: 10, includeHidden: true).isEmpty)
        }
    }

    @Test(arguments: StoreKind.available)
    func paginationAndVisibility(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let (a, _) = try self.twoEvents(store)
            let batch = (1...10).map { self.new(a, "c\($0)", held: $0 == 5) }
            _ = try store.appendComments(batch, now: Fixture.now)
            _ = try store.setHidden(eventId: a, id: 7, true)
            let page1 = try store.comments(eventId: a, after: nil, limit: 3, includeHidden: false)
            #expect(page1.map(\.id) == [1, 2, 3])
            let page2 = try store.comments(eventId: a, after: 3, limit: 3, includeHidden: false)
            #expect(page2.map(\.id) == [4, 6, 8])
            let page3 = try store.comments(eventId: a, after: 8, limit: 3, includeHidden: false)
            #expect(page3.map(\.id) == [9, 10])
            #expect(try store.comments(eventId: a, after: 10, limit: 3, includeHidden: false).isEmpty)
            #expect(try store.comments(eventId: a, after: nil, limit: 0, includeHidden: false).isEmpty)
            let all = try store.comments(eventId: a, after: nil, limit: 500, includeHidden: true)
            #expect(all.map(\.id) == Array(1...10))
            #expect(all[4].status == .held)
            #expect(all[6].hidden)
        }
    }

    @Test(arguments: StoreKind.available)
    func hideAndPin(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let (a, _) = try self.twoEvents(store)
            _ = try store.appendComments([self.new(a, "one"), self.new(a, "two")], now: Fixture.now)
            #expect(try store.setPinned(eventId: a, id: 1, true).pinned)
            #expect(try store.comment(eventId: a, id: 1)?.pinned == true)
            #expect(try !store.setPinned(eventId: a, id: 1, false).pinned)
            let hidden = try store.setHidden(eventId: a, id: 2, true)
            #expect(hidden.hidden && hidden.id == 2)
            #expect(try store.comments(eventId: a, after: nil, limit: 10, includeHidden: false).map(\.id) == [1])
            #expect(try !store.setHidden(eventId: a, id: 2, false).hidden)
            #expect(try store.comments(eventId: a, after: nil, limit: 10, includeHidden: false).map(\.id) == [1, 2])
            #expect(throws: WebinarError.commentNotFound) { try store.setHidden(eventId: a, id: 9, true) }
            #expect(throws: WebinarError.commentNotFound) { try store.setPinned(eventId: a, id: 9, true) }
        }
    }

    @Test(arguments: StoreKind.available)
    func approveGivesANewId(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let (a, _) = try self.twoEvents(store)
            _ = try store.appendComments(
                [self.new(a, "visible"), self.new(a, "held", held: true), self.new(a, "later")], now: Fixture.now)
            #expect(try store.comments(eventId: a, after: nil, limit: 10, includeHidden: false).map(\.id) == [1, 3])
            let approved = try store.approve(eventId: a, id: 2, now: Fixture.now)
            #expect(approved.id == 4)
            #expect(approved.text == "held")
            #expect(approved.status == .visible)
            #expect(try store.comment(eventId: a, id: 2) == nil)
            #expect(try store.comment(eventId: a, id: 4) == approved)
            #expect(try store.lastCommentId(eventId: a) == 4)
            // A client resuming after 3 gets the approved comment.
            #expect(try store.comments(eventId: a, after: 3, limit: 10, includeHidden: false) == [approved])
            #expect(throws: WebinarError.notHeld) { try store.approve(eventId: a, id: 4, now: Fixture.now) }
            #expect(throws: WebinarError.commentNotFound) { try store.approve(eventId: a, id: 2, now: Fixture.now) }
            let next = try store.appendComments([self.new(a, "after")], now: Fixture.now)
            #expect(next.first?.id == 5)
        }
    }

    @Test(arguments: StoreKind.available)
    func likesOncePerPerson(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let (a, b) = try self.twoEvents(store)
            _ = try store.appendComments(
                [self.new(a, "x"), self.new(a, "held", held: true), self.new(b, "y")], now: Fixture.now)
            #expect(try store.like(eventId: a, commentId: 1, likerId: "p1") == (1, true))
            #expect(try store.like(eventId: a, commentId: 1, likerId: "p1") == (1, false))
            #expect(try store.like(eventId: a, commentId: 1, likerId: "p2") == (2, true))
            #expect(try store.like(eventId: b, commentId: 1, likerId: "p1") == (1, true))
            #expect(try store.comment(eventId: a, id: 1)?.likes == 2)
            #expect(throws: WebinarError.commentNotFound) { try store.like(eventId: a, commentId: 2, likerId: "p1") }
            #expect(throws: WebinarError.commentNotFound) { try store.like(eventId: a, commentId: 9, likerId: "p1") }
            _ = try store.setHidden(eventId: a, id: 1, true)
            #expect(throws: WebinarError.commentNotFound) { try store.like(eventId: a, commentId: 1, likerId: "p3") }
        }
    }

    /// A batch counts like the same likes one by one (later ones see earlier ones), one bad like
    /// fails alone, and the counts stored afterwards agree with the outcomes.
    @Test(arguments: StoreKind.available)
    func likeBatchCountsInOrderAndFailsOnlyTheBadOnes(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let (a, b) = try self.twoEvents(store)
            _ = try store.appendComments(
                [self.new(a, "x"), self.new(a, "held", held: true), self.new(a, "z"), self.new(b, "y")], now: Fixture.now)
            #expect(try store.like(eventId: a, commentId: 3, likerId: "p1") == (1, true))
            func like(_ event: Int64, _ comment: Int64, _ liker: String) -> LikeRequest {
                LikeRequest(eventId: event, commentId: comment, likerId: liker)
            }
            let results = try store.likeBatch([
                like(a, 1, "p1"), like(a, 1, "p1"), like(a, 1, "p2"), like(a, 2, "p1"), like(a, 9, "p1"),
                like(b, 1, "p1"), like(a, 3, "p1"), like(a, 3, "p2"), like(a, 1, "p3"),
            ])
            let expected: [Result<LikeOutcome, WebinarError>] = [
                .success(LikeOutcome(likes: 1, changed: true)), .success(LikeOutcome(likes: 1, changed: false)),
                .success(LikeOutcome(likes: 2, changed: true)), .failure(.commentNotFound), .failure(.commentNotFound),
                .success(LikeOutcome(likes: 1, changed: true)), .success(LikeOutcome(likes: 1, changed: false)),
                .success(LikeOutcome(likes: 2, changed: true)), .success(LikeOutcome(likes: 3, changed: true)),
            ]
            #expect(results == expected)
            #expect(try store.comment(eventId: a, id: 1)?.likes == 3)
            #expect(try store.comment(eventId: a, id: 3)?.likes == 2)
            #expect(try store.comment(eventId: b, id: 1)?.likes == 1)
            #expect(try store.likeBatch([]).isEmpty)
        }
    }

    @Test(arguments: StoreKind.available)
    func moderationLogInOrderPerEvent(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let (a, b) = try self.twoEvents(store)
            try store.appendModerationLog(
                NewModerationLogEntry(eventId: a, actor: .host, action: .hide, target: "1", createdAt: Fixture.now))
            try store.appendModerationLog(
                NewModerationLogEntry(eventId: b, actor: .admin, action: .slowmode, detail: "30", createdAt: Fixture.now))
            try store.appendModerationLog(
                NewModerationLogEntry(
                    eventId: a, actor: .admin, action: .mute, target: "author", detail: "300 s",
                    createdAt: Fixture.now + 1))
            let log = try store.moderationLog(eventId: a)
            #expect(log.map(\.action) == [.hide, .mute])
            #expect(log.map(\.actor) == [.host, .admin])
            #expect(log[1].target == "author" && log[1].detail == "300 s" && log[1].createdAt == Fixture.now + 1)
            #expect(log[0].id < log[1].id)
            #expect(try store.moderationLog(eventId: b).map(\.action) == [.slowmode])
            #expect(throws: WebinarError.eventNotFound) {
                try store.appendModerationLog(
                    NewModerationLogEntry(eventId: 999, actor: .host, action: .pin, createdAt: Fixture.now))
            }
        }
    }
}
