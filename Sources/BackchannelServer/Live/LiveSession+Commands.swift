import Foundation
import LiveHub
import Webinar

/// What a joined member can do: comment, like, and (hosts) moderate.
extension LiveSession {
    func handle(_ message: LiveClientMessage, as member: Member) {
        switch message {
        case .join:
            return
        case .comment(let text, let replyTo, let nonce):
            self.comment(text: text, replyTo: replyTo, nonce: nonce, as: member)
        case .like(let commentId):
            self.like(commentId: commentId, as: member)
        case .moderate(let action, let commentId, let reason):
            guard self.requireHost(member) else { return }
            self.moderate(action: action, commentId: commentId, reason: reason, as: member)
        case .mute(let authorId, let seconds):
            guard self.requireHost(member) else { return }
            // The log keeps the mute across restarts and nodes: no log, no mute.
            guard self.log(member, .mute, target: authorId, detail: ModerationDetail.mute(seconds: seconds)) else {
                self.sendOverloaded()
                return
            }
            member.policy.mute(authorId: authorId, seconds: seconds)
            self.live.bus.publish(.muted(authorId: authorId, seconds: seconds), eventId: member.event.id)
        case .slowMode(let seconds):
            guard self.requireHost(member) else { return }
            self.setSlowMode(seconds: seconds, as: member)
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

    private func comment(text: String, replyTo: Int64?, nonce: String, as member: Member) {
        guard member.role != .viewer else {
            let message = member.viewerReason == "not_ticketed"
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
            try self.live.pipeline.comment(text: text, replyTo: replyTo, nonce: nonce, by: author, policy: member.policy) { [self] result in
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
        let live = self.live
        let eventId = member.event.id
        let queued = live.writer.perform { [self] in
            do {
                switch action {
                case "hide":
                    _ = try live.api.store.setHidden(eventId: eventId, id: commentId, true)
                    live.bus.publish(.hidden(commentId: commentId), eventId: eventId)
                    self.logNow(member, .hide, target: String(commentId), detail: reason)
                case "pin", "unpin":
                    _ = try live.api.store.setPinned(eventId: eventId, id: commentId, action == "pin")
                    live.bus.publish(action == "pin" ? .pinned(commentId: commentId) : .unpinned(commentId: commentId), eventId: eventId)
                    self.logNow(member, action == "pin" ? .pin : .unpin, target: String(commentId))
                default:
                    let approved = try live.api.store.approve(eventId: eventId, id: commentId, now: live.clock.now())
                    live.bus.publish(.approved(heldId: commentId, id: approved.id), eventId: eventId)
                    live.bus.commentCommitted(approved)
                    self.logNow(member, .approve, target: String(commentId), detail: ModerationDetail.approved(id: approved.id))
                }
            } catch let error as WebinarError {
                self.onLoop { $0.sendError(error.code == "comment_not_found" ? "not_found" : error.code, error.message) }
            } catch {
                self.onLoop { $0.sendError("unavailable", "That did not work; try again.") }
            }
        }
        if !queued { self.sendOverloaded() }
    }

    private func setSlowMode(seconds: Int, as member: Member) {
        let live = self.live
        let slug = self.slug
        let queued = live.writer.perform { [self] in
            var patch = EventPatch()
            patch.slowModeSeconds = seconds
            if let (event, _) = try? live.api.store.updateEvent(slug: slug, patch: patch, now: live.clock.now()) {
                live.policies.eventChanged(event)
            }
            live.bus.publish(.slowMode(seconds: seconds, slug: slug), eventId: member.event.id)
            self.logNow(member, .slowmode, detail: ModerationDetail.slowMode(seconds: seconds))
        }
        guard queued else {
            self.sendOverloaded()
            return
        }
        member.policy.setSlowMode(seconds: seconds)
    }

    /// Records a host action; from the loop it goes through the writer so the log keeps order.
    /// False when the writer's queue is full (nothing recorded).
    private func log(_ member: Member, _ action: ModerationAction, target: String? = nil, detail: String? = nil) -> Bool {
        let live = self.live
        return live.writer.perform { [self] in self.logNow(member, action, target: target, detail: detail) }
    }

    /// The writer's queue is full: this message was not taken (contract: `overloaded`).
    private func sendOverloaded(nonce: String? = nil) {
        let error = CommentWriter.overloaded
        self.sendError(error.code, error.message, nonce: nonce, retryAfter: error.retryAfter)
    }

    private func logNow(_ member: Member, _ action: ModerationAction, target: String? = nil, detail: String? = nil) {
        try? self.live.api.store.appendModerationLog(NewModerationLogEntry(
            eventId: member.event.id, actor: member.moderator, action: action, target: target, detail: detail,
            createdAt: self.live.clock.now()))
    }
}
