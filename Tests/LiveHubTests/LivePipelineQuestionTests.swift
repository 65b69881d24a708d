import Foundation
import LiveHub
import Store
import Synchronization
import Testing
import Webinar

/// A question's way through LiveHub (in-memory store, manual clock): asked like a comment, its states
/// set on the writer thread, published and logged in one order.
@Suite struct LivePipelineQuestionTests {
    typealias Room = LivePipelineTests.Room

    static func ask(_ room: Room, _ text: String) throws -> Webinar.Comment {
        let answered = DispatchSemaphore(value: 0)
        let answer = Mutex<Result<AppendedComment, WebinarError>?>(nil)
        try room.pipeline.comment(text: text, replyTo: nil, nonce: text, kind: .question, by: room.author, policy: room.policy) { result in
            answer.withLock { $0 = result }
            answered.signal()
        }
        answered.wait()
        return try answer.withLock { $0! }.get().comment
    }

    @Test func answeringAnotherQuestionPublishesAndLogsThePreviousAsAnsweredFirst() throws {
        let room = try Room()
        defer { room.writer.stop() }
        let host = LivePipeline.Host(eventId: room.eventId, slug: "p", actor: .host)
        let one = try Self.ask(room, "one?")
        let two = try Self.ask(room, "two?")
        #expect(one.kind == .question && one.questionState == .open)
        room.bus.published.withLock { $0.removeAll() }
        let failures = Mutex<[String]>([])
        let failed: @Sendable (any Error) -> Void = { error in failures.withLock { $0.append((error as? WebinarError)?.code ?? "?") } }
        try room.pipeline.setQuestionState(.answering, commentId: one.id, by: host, failed: failed)
        room.clock.advance(seconds: 5)
        try room.pipeline.setQuestionState(.answering, commentId: two.id, by: host, failed: failed)
        try room.pipeline.setQuestionState(.dismissed, commentId: 99, by: host, failed: failed)
        LivePipelineTests.drain(room.writer)

        #expect(
            room.bus.published.withLock { $0 } == [
                .room(.questionState(commentId: one.id, state: .answering)),
                .room(.questionState(commentId: one.id, state: .answered)),
                .room(.questionState(commentId: two.id, state: .answering)),
            ])
        #expect(failures.withLock { $0 } == ["comment_not_found"], "a missing question is refused, nothing published")
        let log = try room.store.moderationLog(eventId: room.eventId)
        #expect(log.map(\.action) == [.answering, .answered, .answering])
        #expect(log.map(\.target) == [String(one.id), String(one.id), String(two.id)])
        #expect(log.last?.createdAt == room.clock.now, "logged with the room's clock")
        #expect(
            ModerationReplay.messages(from: log, slug: "p") == [
                .questionState(commentId: one.id, state: .answering), .questionState(commentId: one.id, state: .answered),
                .questionState(commentId: two.id, state: .answering),
            ], "a node that missed them replays the same order")
    }
}
