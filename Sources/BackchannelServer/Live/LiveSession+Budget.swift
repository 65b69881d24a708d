import Foundation
import LiveHub
import Prometheus
import Sockets
import WebSocket
import Webinar

/// Per-person message rate limits. Comments from those who may post have their own
/// (`live.rate.limit.comments`, with mutes and slow mode); every other message spends the message
/// budget (`live.rate.limit.messages` per `live.rate.limit.messages.window.seconds`): likes and so
/// their `already_liked` answers, host actions, joins, malformed messages, comments from those who
/// may not post, and WebSocket pings.
extension LiveSession {
    /// A comment by an attendee or host: limited by the room's comment throttle instead.
    func countsAsComment(_ outcome: Result<LiveClientMessage, LiveClientMessage.Invalid>) -> Bool {
        guard case .success(.comment) = outcome, let member = self.member else { return false }
        return member.role != .viewer
    }

    /// Spends one message from the sender's budget: the person's budget in the room once joined
    /// with an identity (an attendee's author id, `host`), shared by all their connections; this
    /// connection's own budget before a join and for anonymous viewers.
    func spendMessageBudget() throws(WebinarError) {
        if let member = self.member, !member.authorId.isEmpty {
            try member.policy.admitMessage(from: member.authorId)
        } else {
            try self.budget.spend(now: self.live.clock.now())
        }
    }

    /// Spends one message; when the budget is spent, answers `rate_limited` and returns false.
    func admitMessage(nonce: String?) -> Bool {
        do {
            try self.spendMessageBudget()
            return true
        } catch {
            self.live.metrics.messagesRateLimited.increment()
            guard nonce == nil else {
                self.sendError(error.code, error.message, nonce: nonce, retryAfter: error.retryAfter)
                return false
            }
            if self.rateLimitedFrame?.message != error.message {
                let text = LiveMessages.error(code: error.code, message: error.message, retryAfter: error.retryAfter)
                self.rateLimitedFrame = (error.message, ByteChunk(WebSocketFrameEncoder.frame(.text, payload: text)))
            }
            if let frame = self.rateLimitedFrame?.frame { self.session?.send(frame: frame) }
            return false
        }
    }

    /// A ping spends a message like any other; past the budget it gets no pong.
    func sessionShouldAnswerPing(_ session: WebSocketSession) -> Bool {
        do {
            try self.spendMessageBudget()
            return true
        } catch {
            self.live.metrics.messagesRateLimited.increment()
            return false
        }
    }
}

extension Result where Success == LiveClientMessage, Failure == LiveClientMessage.Invalid {
    /// The client's nonce, so a refusal can name the comment it refuses.
    var nonce: String? {
        switch self {
        case .success(.comment(_, _, let nonce, _)): nonce
        case .success: nil
        case .failure(let invalid): invalid.nonce
        }
    }
}
