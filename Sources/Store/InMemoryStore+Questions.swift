import Foundation
import Synchronization
public import Webinar

extension InMemoryStore {
    public func setQuestionState(eventId: Int64, id: Int64, _ state: QuestionState) throws -> QuestionStateChange {
        try self.state.withLock { (stored) throws(WebinarError) in
            guard let question = stored.comments[eventId]?[id] else { throw .commentNotFound }
            guard question.kind == .question else { throw .notAQuestion }
            var previous: Comment?
            if state == .answering, question.questionState != .answering,
                let answering = stored.comments[eventId]!.values.first(where: { $0.questionState == .answering })
            {
                stored.comments[eventId]![answering.id]!.questionState = .answered
                previous = stored.comments[eventId]![answering.id]
            }
            stored.comments[eventId]![id]!.questionState = state
            return QuestionStateChange(question: stored.comments[eventId]![id]!, previous: previous)
        }
    }

    public func pinnedIds(eventId: Int64) throws -> [Int64] {
        self.state.withLock { stored in
            (stored.comments[eventId] ?? [:]).values.filter { $0.pinned && $0.isPublic }.map(\.id).sorted()
        }
    }

    public func questions(eventId: Int64) throws -> [Comment] {
        self.state.withLock { stored in
            (stored.comments[eventId] ?? [:]).values.filter { $0.kind == .question && $0.isPublic }.sorted { $0.id < $1.id }
        }
    }
}
