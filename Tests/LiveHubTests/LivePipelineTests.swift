import Foundation
import LiveHub
import Store
import Synchronization
import Testing
import Webinar

/// A comment's whole way through LiveHub over a real (in-memory) store and a manual clock: admitted
/// by the room's rules, committed, published on the bus, then answered.
@Suite struct LivePipelineTests {
    /// A bus that records what the pipeline published, in order.
    final class RecordingBus: LiveBus {
        enum Published: Equatable {
            case comment(id: Int64, text: String)
            case room(RoomMessage)
        }
        let published = Mutex<[Published]>([])
        func commentCommitted(_ comment: Webinar.Comment) {
            self.published.withLock { $0.append(.comment(id: comment.id, text: comment.text)) }
        }
        func publish(_ message: RoomMessage, eventId: Int64) { self.published.withLock { $0.append(.room(message)) } }
        func roomJoined(eventId: Int64) {}
        func stop() {}
    }

    struct Room {
        let store = InMemoryStore()
        let clock = ManualClock()
        let bus = RecordingBus()
        let writer: CommentWriter
        let pipeline: LivePipeline
        let policy: RoomPolicy
        let eventId: Int64

        init(slowMode: Int = 0) throws {
            let event = try self.store.createEvent(
                NewEvent(slug: "p", title: "P", startsAt: Date(), capacity: 5), hostKeyHash: "h", now: Date())
            self.eventId = event.id
            self.writer = CommentWriter(store: self.store, clock: self.clock.live)
            let policies = RoomPolicies(clock: self.clock.live)
            self.pipeline = LivePipeline(writer: self.writer, bus: self.bus, store: self.store, policies: policies)
            var settings = event
            settings.slowModeSeconds = slowMode
            self.policy = policies.policy(for: settings) { [] }
        }

        var author: LivePipeline.Author { LivePipeline.Author(eventId: self.eventId, authorId: "a", name: "Ann", isHost: false) }

        /// Posts and waits for the answer: the stored comment, or the refusal's code.
        func post(_ text: String, nonce: String) -> Result<AppendedComment, WebinarError> {
            let answered = DispatchSemaphore(value: 0)
            let answer = Mutex<Result<AppendedComment, WebinarError>?>(nil)
            do {
                try self.pipeline.comment(text: text, replyTo: nil, nonce: nonce, by: self.author, policy: self.policy) { result in
                    answer.withLock { $0 = result }
                    answered.signal()
                }
            } catch {
                return .failure(error)
            }
            answered.wait()
            return answer.withLock { $0! }
        }
    }

    static func refusal(_ result: Result<AppendedComment, WebinarError>) -> String? {
        if case .failure(let error) = result { error.code } else { nil }
    }

    @Test func aCommentIsPublishedBeforeItsAnswerAndStoredWithTheRoomsTime() throws {
        let room = try Room()
        defer { room.writer.stop() }
        let stored = try room.post("  first  ", nonce: "n1").get()
        #expect(stored.comment.text == "first")
        #expect(stored.comment.createdAt == room.clock.now)
        #expect(room.bus.published.withLock { $0 } == [.comment(id: stored.comment.id, text: "first")])
        let again = try room.post("first", nonce: "n1").get()
        #expect(again.repeated && again.comment.id == stored.comment.id)
        #expect(room.bus.published.withLock { $0.count } == 1, "a repeated nonce is answered, not published again")
    }

    @Test func slowModeRefusesBeforeTheWriterAndLetsThroughOnceTheClockMovesOn() throws {
        let room = try Room(slowMode: 20)
        defer { room.writer.stop() }
        _ = try room.post("one", nonce: "n1").get()
        #expect(Self.refusal(room.post("two", nonce: "n2")) == "slow_mode")
        #expect(Self.refusal(room.post("", nonce: "n3")) == "empty")
        room.clock.advance(seconds: 20)
        let two = try room.post("two", nonce: "n2").get()
        #expect(room.bus.published.withLock { $0.map { if case .comment(_, let text) = $0 { text } else { "" } } } == ["one", "two"])
        #expect(two.comment.createdAt == room.clock.now)
    }

    @Test func aLikePublishesTheNewCountAndASecondLikeByTheSamePersonDoesNot() throws {
        let room = try Room()
        defer { room.writer.stop() }
        let comment = try room.post("likeable", nonce: "n").get().comment
        func like(_ likerId: String) throws -> LikeOutcome {
            let answered = DispatchSemaphore(value: 0)
            let answer = Mutex<Result<LikeOutcome, WebinarError>?>(nil)
            try room.pipeline.like(LikeRequest(eventId: room.eventId, commentId: comment.id, likerId: likerId)) { result in
                answer.withLock { $0 = result }
                answered.signal()
            }
            answered.wait()
            return try answer.withLock { $0! }.get()
        }
        #expect(try like("b").changed)
        #expect(try !like("b").changed)
        #expect(room.bus.published.withLock { $0.last } == .room(.likes(commentId: comment.id, likes: 1)))
        #expect(room.bus.published.withLock { $0.count } == 2)
    }

    /// Waits until everything queued on the writer before now has run.
    static func drain(_ writer: CommentWriter) {
        let done = DispatchSemaphore(value: 0)
        #expect(writer.perform { done.signal() })
        done.wait()
    }

    /// Runs a host action and waits for the writer: the code its `failed` heard, or nil.
    static func failure(
        _ writer: CommentWriter, of action: (@escaping @Sendable (any Error) -> Void) throws -> Void
    ) throws -> String? {
        let failure = Mutex<String?>(nil)
        try action { error in failure.withLock { $0 = (error as? WebinarError)?.code ?? "\(error)" } }
        Self.drain(writer)
        return failure.withLock { $0 }
    }

    @Test func aMuteTheStoreCannotLogTellsTheHost() throws {
        let room = try Room()
        defer { room.writer.stop() }
        let gone = LivePipeline.Host(eventId: room.eventId + 1, slug: "gone", actor: .host)
        let code = try Self.failure(room.writer) { failed in
            try room.pipeline.mute(authorId: "a", seconds: 60, by: gone, policy: room.policy, failed: failed)
        }
        #expect(code == "event_not_found")
        #expect(try room.store.moderationLog(eventId: room.eventId + 1).isEmpty)
    }

    @Test func slowModeTheStoreRefusesTellsTheHostAndIsNotPublished() throws {
        let room = try Room()
        defer { room.writer.stop() }
        let gone = LivePipeline.Host(eventId: room.eventId + 1, slug: "gone", actor: .host)
        let code = try Self.failure(room.writer) { failed in
            try room.pipeline.setSlowMode(seconds: 15, by: gone, policy: room.policy, failed: failed)
        }
        #expect(code == "event_not_found")
        #expect(room.bus.published.withLock { $0.isEmpty })
    }

    @Test func aHostsMuteIsLoggedPublishedAndRunsOutWithTheClock() throws {
        let room = try Room()
        defer { room.writer.stop() }
        let host = LivePipeline.Host(eventId: room.eventId, slug: "p", actor: .host)
        try room.pipeline.mute(authorId: "a", seconds: 60, by: host, policy: room.policy) { Issue.record($0) }
        #expect(Self.refusal(room.post("quiet?", nonce: "n1")) == "muted")
        Self.drain(room.writer)
        let log = try room.store.moderationLog(eventId: room.eventId)
        #expect(log.map(\.action) == [.mute] && log.first?.target == "a" && log.first?.createdAt == room.clock.now)
        #expect(room.bus.published.withLock { $0 } == [.room(.muted(authorId: "a", seconds: 60))])
        room.clock.advance(seconds: 60)
        _ = try room.post("back", nonce: "n2").get()
    }

    @Test func slowModeFromAHostIsStoredWithTheEventAppliedAtOnceAndLogged() throws {
        let room = try Room()
        defer { room.writer.stop() }
        let host = LivePipeline.Host(eventId: room.eventId, slug: "p", actor: .host)
        _ = try room.post("one", nonce: "n1").get()
        try room.pipeline.setSlowMode(seconds: 15, by: host, policy: room.policy) { Issue.record($0) }
        #expect(Self.refusal(room.post("two", nonce: "n2")) == "slow_mode")
        Self.drain(room.writer)
        #expect(try room.store.event(slug: "p")?.slowModeSeconds == 15)
        #expect(try room.store.moderationLog(eventId: room.eventId).map(\.action) == [.slowmode])
        #expect(room.bus.published.withLock { $0.last } == .room(.slowMode(seconds: 15, slug: "p")))
        room.clock.advance(seconds: 15)
        _ = try room.post("two", nonce: "n2").get()
    }

    @Test func hidingAMissingCommentTellsTheHostWhy() throws {
        let room = try Room()
        defer { room.writer.stop() }
        let host = LivePipeline.Host(eventId: room.eventId, slug: "p", actor: .host)
        let failure = Mutex<String?>(nil)
        let answered = DispatchSemaphore(value: 0)
        try room.pipeline.moderate(.hide, commentId: 404, reason: nil, by: host) { error in
            failure.withLock { $0 = (error as? WebinarError)?.code }
            answered.signal()
        }
        answered.wait()
        #expect(failure.withLock { $0 } == "comment_not_found")
        #expect(room.bus.published.withLock { $0.isEmpty })
    }
}
