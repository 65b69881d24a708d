import Foundation
import Store
import Testing
import Webinar

/// Every store answers a repeated (event, author, nonce) with the first comment, across batches and
/// within one, and stores comments without a nonce every time.
@Suite("Store: comment nonces")
struct CommentNonceStoreTests {
    private func new(_ eventId: Int64, _ text: String, nonce: String, by author: String = "u1") -> NewComment {
        NewComment(eventId: eventId, authorId: author, author: "Name \(author)", text: text, nonce: nonce)
    }

    @Test(arguments: StoreKind.available)
    func aRepeatedNonceIsAnsweredWithTheFirstComment(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let event = try store.createEvent(Fixture.newEvent(slug: "n"), hostKeyHash: "h", now: Fixture.now).id
            let first = try store.appendCommentBatch(
                [
                    self.new(event, "one", nonce: "a"), self.new(event, "one again", nonce: "a"),
                    self.new(event, "same nonce, other author", nonce: "a", by: "u2"), self.new(event, "plain", nonce: ""),
                ],
                now: Fixture.now
            ).map { try $0.get() }
            #expect(first.map(\.comment.id) == [1, 1, 2, 3])
            #expect(first.map(\.repeated) == [false, true, false, false])
            #expect(first[1].comment.text == "one", "the answer is the stored comment, not the repeat")

            let second = try store.appendCommentBatch(
                [self.new(event, "one", nonce: "a"), self.new(event, "plain", nonce: ""), self.new(event, "two", nonce: "b")],
                now: Fixture.now
            ).map { try $0.get() }
            #expect(second.map(\.comment.id) == [1, 4, 5])
            #expect(second.map(\.repeated) == [true, false, false])
            #expect(try store.lastCommentId(eventId: event) == 5)
            #expect(try store.comments(eventId: event, after: nil, limit: 10, includeHidden: true).count == 5)
        }
    }

    @Test(arguments: StoreKind.available)
    func anApprovedCommentKeepsItsNonceUnderItsNewId(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let event = try store.createEvent(Fixture.newEvent(slug: "r"), hostKeyHash: "h", now: Fixture.now).id
            let held = try store.appendCommentBatch(
                [NewComment(eventId: event, authorId: "u1", author: "A", text: "wait", held: true, nonce: "h")],
                now: Fixture.now)[0].get().comment
            let approved = try store.approve(eventId: event, id: held.id, now: Fixture.now)
            let again = try store.appendCommentBatch(
                [NewComment(eventId: event, authorId: "u1", author: "A", text: "wait", held: true, nonce: "h")],
                now: Fixture.now)[0].get()
            #expect(again.repeated && again.comment.id == approved.id && again.comment.status == .visible)
        }
    }
}
