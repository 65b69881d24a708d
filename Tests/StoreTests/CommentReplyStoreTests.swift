import Foundation
import Store
import Testing
import Webinar

/// Every store applies the reply rule inside its comment transaction: a reply must point at a public
/// comment of its own event, and one bad reply refuses only that comment, never its batch.
@Suite("Store: replies")
struct CommentReplyStoreTests {
    private func new(_ eventId: Int64, _ text: String, replyTo: Int64? = nil, held: Bool = false) -> NewComment {
        NewComment(eventId: eventId, authorId: "u1", author: "Name", text: text, replyTo: replyTo, held: held, nonce: text)
    }

    @Test(arguments: StoreKind.available)
    func aBadReplyIsRefusedAloneAndTheRestOfItsBatchIsStored(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let a = try store.createEvent(Fixture.newEvent(slug: "a"), hostKeyHash: "h", now: Fixture.now).id
            let b = try store.createEvent(Fixture.newEvent(slug: "b"), hostKeyHash: "h", now: Fixture.now).id
            _ = try store.appendComments(
                [self.new(a, "shown"), self.new(a, "hidden"), self.new(a, "held", held: true), self.new(b, "other")],
                now: Fixture.now)
            _ = try store.setHidden(eventId: a, id: 2, true)

            let results = try store.appendCommentBatch(
                [
                    self.new(a, "to shown", replyTo: 1), self.new(a, "to hidden", replyTo: 2),
                    self.new(a, "plain"), self.new(a, "to held", replyTo: 3), self.new(a, "to nothing", replyTo: 99),
                    self.new(b, "to another event's comment", replyTo: 3), self.new(b, "to own event", replyTo: 1),
                ],
                now: Fixture.now)

            #expect(
                results.map { (try? $0.get())?.comment.text } == [
                    "to shown", nil, "plain", nil, nil, nil, "to own event",
                ])
            for index in [1, 3, 4, 5] {
                #expect(throws: WebinarError.badReply) { try results[index].get() }
            }
            #expect(WebinarError.badReply.code == "bad_reply")
            // Refused comments take no id and leave nothing behind.
            #expect(results.compactMap { try? $0.get().comment.id } == [4, 5, 2])
            #expect(try store.lastCommentId(eventId: a) == 5)
            #expect(try store.comments(eventId: a, after: 3, limit: 10, includeHidden: true).map(\.text) == ["to shown", "plain"])
            #expect(try store.comments(eventId: b, after: 1, limit: 10, includeHidden: true).map(\.text) == ["to own event"])
        }
    }

    @Test(arguments: StoreKind.available)
    func aRepeatOfAStoredReplyIsAnsweredEvenAfterItsTargetIsHidden(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let a = try store.createEvent(Fixture.newEvent(slug: "a"), hostKeyHash: "h", now: Fixture.now).id
            _ = try store.appendComments([self.new(a, "shown")], now: Fixture.now)
            _ = try store.appendComments([self.new(a, "reply", replyTo: 1)], now: Fixture.now)
            _ = try store.setHidden(eventId: a, id: 1, true)
            let again = try store.appendCommentBatch([self.new(a, "reply", replyTo: 1)], now: Fixture.now)[0].get()
            #expect(again.repeated && again.comment.id == 2)
            #expect(throws: WebinarError.badReply) {
                try store.appendCommentBatch([self.new(a, "new reply", replyTo: 1)], now: Fixture.now)[0].get()
            }
        }
    }
}
