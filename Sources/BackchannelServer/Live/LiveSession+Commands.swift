import Foundation
import LiveHub
import Prometheus
import Webinar

/// What a joined member can do: comment, like, and (hosts) moderate.
extension LiveSession {
    func handle(_ message: LiveClientMessage, as member: Member) {
        switch message {
        case .join:
            return
        case .comment(let text, let replyTo, let nonce, let kind):
            self.comment(text: text, replyTo: replyTo, nonce: nonce, kind: kind, as: member)
        case .like(let commentId):
            self.like(commentId: commentId, as: member)
        case .moderate(let action, let commentId, let reason):
            guard self.requireHost(member) else { return }
            self.moderate(action: action, commentId: commentId, reason: reason, as: member)
        case .questionState(let state, let commentId):
            guard self.requireHost(member) else { return }
            self.answerRefusal { () throws(WebinarError) in
                try self.live.pipeline.setQuestionState(state, commentId: commentId, by: self.host(member), failed: self.answerFailure)
            }
        case .mute(let authorId, let seconds):
            guard self.requireHost(member) else { return }
            self.answerRefusal { () throws(WebinarError) in
                try self.live.pipeline.mute(
                    authorId: authorId, seconds: seconds, by: self.host(member), policy: member.policy, failed: self.answerFailure)
            }
        case .slowMode(let seconds):
            guard self.requireHost(member) else { return }
            self.answerRefusal { () throws(WebinarError) in
                try self.live.pipeline.setSlowMode(
                    seconds: seconds, by: self.host(member), policy: member.policy, failed: self.answerFailure)
            }
        case .ping:
            self.session?.send(text: LiveMessages.pong)
        }
    }

    private func requireHost(_ member: Member) -> Bool {
        guard member.role == .host else {
            self.sendError("forbidden", "Only a host can do this.")
            return false
        }
        return true
    }

    private func comment(text: String, replyTo: Int64?, nonce: String, kind: CommentKind, as member: Member) {
        guard member.role != .viewer else {
            let message =
                member.viewerReason == "not_ticketed"
                ? "You are on the waiting list: you can watch, and comment once you have a ticket."
                : "Viewers can read along; join with a ticket to comment."
            self.sendError(member.viewerReason, message, nonce: nonce)
            return
        }
        let metrics = self.live.metrics
        let submitted = ContinuousClock.now
        let author = LivePipeline.Author(
            eventId: member.event.id, authorId: member.authorId, name: member.author, isHost: member.role == .host)
        do {
            try self.live.pipeline.comment(
                text: text, replyTo: replyTo, nonce: nonce, kind: kind, by: author, policy: member.policy
            ) { [self] result in
                switch result {
                case .success(let appended):
                    let comment = appended.comment
                    if !appended.repeated {  // sent again after a lost ack: the first ack again
                        metrics.commentsStored.increment()
                        metrics.commentCommitDuration.record(.now - submitted)
                    }
                    let held = comment.status == .held
                    self.onLoop { $0.session?.send(text: LiveMessages.ack(nonce: nonce, id: comment.id, held: held)) }
                case .failure(let error):
                    self.onLoop { $0.sendError(error.code, error.message, nonce: nonce) }
                }
            }
        } catch {
            self.sendError(error.code, error.message, nonce: nonce, retryAfter: error.retryAfter)
        }
    }

    private func like(commentId: Int64, as member: Member) {
        guard member.role != .viewer else {
            self.sendError(member.viewerReason, "Join with a ticket to like comments.")
            return
        }
        let request = LikeRequest(
            eventId: member.event.id, commentId: commentId,
            likerId: member.role == .host ? Comment.authorId(of: .host) : member.authorId)
        // Counted with the other likes of the writer's batch in one transaction; of several likes
        // of one comment in a batch, only the last publishes the count.
        do {
            try self.live.pipeline.like(request) { [self] result in
                switch result {
                case .success(let outcome) where outcome.changed:
                    break
                case .success:
                    self.onLoop { $0.sendError("already_liked", "You already like this comment.") }
                case .failure(let error):
                    self.onLoop { $0.sendError(error.code == "comment_not_found" ? "not_found" : error.code, error.message) }
                }
            }
        } catch {
            self.sendError(error.code, error.message, retryAfter: error.retryAfter)
        }
    }

    private func moderate(action: String, commentId: Int64, reason: String?, as member: Member) {
        let action = LivePipeline.CommentAction(rawValue: action) ?? .approve
        self.answerRefusal { () throws(WebinarError) in
            try self.live.pipeline.moderate(action, commentId: commentId, reason: reason, by: self.host(member), failed: self.answerFailure)
        }
    }

    /// Answers, on the session's loop, a host action that failed on the writer thread.
    private var answerFailure: @Sendable (any Error) -> Void {
        { [self] error in self.onLoop { $0.sendFailure(error) } }
    }

    /// Answers a host action that failed on the writer thread: the domain's reason, or "try again".
    private func sendFailure(_ error: any Error) {
        if let error = error as? WebinarError {
            self.sendError(error.code == "comment_not_found" ? "not_found" : error.code, error.message)
        } else {
            self.sendError("unavailable", "That did not work; try again.")
        }
    }

    private func host(_ member: Member) -> LivePipeline.Host {
        LivePipeline.Host(eventId: member.event.id, slug: self.slug, actor: member.moderator)
    }

    /// Runs a host action and answers its refusal (`overloaded` when the writer's queue is full).
    private func answerRefusal(_ action: () throws(WebinarError) -> Void) {
        do {
            try action()
        } catch {
            self.sendError(error.code, error.message, retryAfter: error.retryAfter)
        }
    }
}
