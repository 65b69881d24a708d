import Foundation
package import Webinar

/// The one way a member's comment, like or host action travels: admitted by the room's rules, made
/// durable by the writer, published on the bus (which fans it out to every node's members), and only
/// then answered. The session parses and answers; it never reaches the writer, the store or the bus
/// around this path.
package struct LivePipeline: Sendable {
    package let writer: CommentWriter
    package let bus: any LiveBus
    let store: any WebinarStore
    let policies: RoomPolicies
    /// The rooms' clock (the policies'): what host actions are stored and logged with.
    var clock: LiveClock { self.policies.clock }

    package init(writer: CommentWriter, bus: any LiveBus, store: any WebinarStore, policies: RoomPolicies) {
        self.writer = writer
        self.bus = bus
        self.store = store
        self.policies = policies
    }

    /// Who posts, as the room knows them.
    package struct Author: Sendable {
        package let eventId: Int64
        package let authorId: String
        package let name: String
        package let isHost: Bool

        package init(eventId: Int64, authorId: String, name: String, isHost: Bool) {
            self.eventId = eventId
            self.authorId = authorId
            self.name = name
            self.isHost = isHost
        }
    }

    /// Checks the text and the room's rules (mute, slow mode, rate, review; the same for a question),
    /// queues the comment, and
    /// after its commit publishes it, then calls `completion` (on the writer thread, in id order).
    /// Throws the refusal to show the author: invalid text, a rule, or `overloaded` (nothing queued).
    package func comment(
        text: String, replyTo: Int64?, nonce: String, kind: CommentKind = .comment, by author: Author, policy: RoomPolicy,
        completion: @escaping CommentWriter.Completion
    ) throws(WebinarError) {
        let clean = try CommentText.validate(text)
        let decision = try policy.admit(authorId: author.authorId, isHost: author.isHost, text: clean)
        let new = NewComment(
            eventId: author.eventId, authorId: author.authorId, author: author.name, text: clean,
            replyTo: replyTo, held: decision == .hold, nonce: nonce, kind: kind)
        let bus = self.bus
        let queued = self.writer.submit(new) { result in
            // A repeated nonce (a lost ack) is answered again, but the room already has it.
            if case .success(let appended) = result, !appended.repeated { bus.commentCommitted(appended.comment) }
            completion(result)
        }
        if !queued { throw CommentWriter.overloaded }
    }

    /// Queues a like; after the batch's commit publishes the comment's new count (once per comment and
    /// batch), then calls `completion`. Throws `overloaded` when nothing was queued.
    package func like(
        _ request: LikeRequest, completion: @escaping @Sendable (Result<LikeOutcome, WebinarError>) -> Void
    ) throws(WebinarError) {
        let bus = self.bus
        let queued = self.writer.like(request) { result, latest in
            if case .success(let outcome) = result, outcome.changed, latest {
                bus.publish(.likes(commentId: request.commentId, likes: outcome.likes), eventId: request.eventId)
            }
            completion(result)
        }
        if !queued { throw CommentWriter.overloaded }
    }
}
