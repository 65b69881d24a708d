import Foundation
import Store
import Testing
import Webinar

@Suite("Store: questions, their votes and states")
struct QuestionStoreTests {
    private func event(_ store: any WebinarStore, _ slug: String = "q") throws -> Int64 {
        try store.createEvent(Fixture.newEvent(slug: slug), hostKeyHash: "h", now: Fixture.now).id
    }

    private func ask(_ eventId: Int64, _ text: String, kind: CommentKind = .question, held: Bool = false) -> NewComment {
        NewComment(eventId: eventId, authorId: "u1", author: "Ann", text: text, held: held, nonce: text, kind: kind)
    }

    @Test(arguments: StoreKind.available)
    func questionsAreStoredOpenAndCommentsHaveNoState(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let a = try self.event(store)
            let stored = try store.appendComments(
                [self.ask(a, "why?"), self.ask(a, "hello", kind: .comment), self.ask(a, "held?", held: true)], now: Fixture.now)
            #expect(stored.map(\.kind) == [.question, .comment, .question])
            #expect(stored.map(\.questionState) == [.open, nil, .open])
            #expect(try store.comment(eventId: a, id: 1)?.questionState == .open)
            #expect(try store.comment(eventId: a, id: 2)?.kind == .comment)
            #expect(try store.questions(eventId: a).map(\.id) == [1], "a held question is not public yet")
        }
    }

    @Test(arguments: StoreKind.available)
    func answeringOneMovesThePreviousToAnswered(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let a = try self.event(store)
            let b = try self.event(store, "other")
            _ = try store.appendComments(
                [self.ask(a, "one"), self.ask(a, "two"), self.ask(a, "three"), self.ask(b, "b")], now: Fixture.now)
            let first = try store.setQuestionState(eventId: a, id: 1, .answering)
            #expect(first.question.questionState == .answering && first.previous == nil)
            _ = try store.setQuestionState(eventId: b, id: 1, .answering)  // another event's: untouched
            let second = try store.setQuestionState(eventId: a, id: 2, .answering)
            #expect(second.previous?.id == 1 && second.previous?.questionState == .answered)
            let again = try store.setQuestionState(eventId: a, id: 2, .answering)
            #expect(again.previous == nil, "marking the answering question again moves nothing")
            _ = try store.setQuestionState(eventId: a, id: 3, .dismissed)
            #expect(try store.questions(eventId: a).map(\.questionState) == [.answered, .answering, .dismissed])
            #expect(try store.questions(eventId: b).map(\.questionState) == [.answering])
            _ = try store.setPinned(eventId: a, id: 3, true)
            _ = try store.setPinned(eventId: a, id: 1, true)
            _ = try store.setPinned(eventId: a, id: 2, true)
            _ = try store.setHidden(eventId: a, id: 2, true)
            #expect(try store.pinnedIds(eventId: a) == [1, 3], "pinned public comments in id order")
            #expect(try store.pinnedIds(eventId: b).isEmpty)
        }
    }

    @Test(arguments: StoreKind.available)
    func onlyQuestionsHaveAState(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let a = try self.event(store)
            _ = try store.appendComments([self.ask(a, "plain", kind: .comment)], now: Fixture.now)
            #expect(throws: WebinarError.notAQuestion) { try store.setQuestionState(eventId: a, id: 1, .answering) }
            #expect(throws: WebinarError.commentNotFound) { try store.setQuestionState(eventId: a, id: 9, .answered) }
            #expect(try store.comment(eventId: a, id: 1)?.questionState == nil)
        }
    }
}
