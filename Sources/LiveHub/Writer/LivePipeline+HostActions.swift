package import Webinar

/// What a host does to a room: each action runs on the writer thread between commits, is published
/// on the bus and logged in the moderation log there, so every node and every restart sees host
/// actions in one order with the comments they concern. A store failure on the writer thread, the
/// log's included, goes to the action's `failed`, so the host hears that it did not hold.
extension LivePipeline {
    /// A host action on one comment.
    package enum CommentAction: String, Sendable {
        case hide, pin, unpin, approve
    }

    /// The host acting, and the room.
    package struct Host: Sendable {
        package let eventId: Int64
        package let slug: String
        package let actor: Moderator

        package init(eventId: Int64, slug: String, actor: Moderator) {
            self.eventId = eventId
            self.slug = slug
            self.actor = actor
        }
    }

    /// Hides, pins, unpins or approves a comment; `failed` hears why it did not (the comment is not
    /// there, the store failed), on the writer thread. Throws `overloaded` when nothing was queued.
    package func moderate(
        _ action: CommentAction, commentId: Int64, reason: String?, by host: Host,
        failed: @escaping @Sendable (any Error) -> Void
    ) throws(WebinarError) {
        let (store, bus, clock) = (self.store, self.bus, self.clock)
        let eventId = host.eventId
        try self.onWriter {
            do {
                switch action {
                case .hide:
                    _ = try store.setHidden(eventId: eventId, id: commentId, true)
                    bus.publish(.hidden(commentId: commentId), eventId: eventId)
                    try self.log(host, .hide, target: String(commentId), detail: reason)
                case .pin, .unpin:
                    _ = try store.setPinned(eventId: eventId, id: commentId, action == .pin)
                    bus.publish(action == .pin ? .pinned(commentId: commentId) : .unpinned(commentId: commentId), eventId: eventId)
                    try self.log(host, action == .pin ? .pin : .unpin, target: String(commentId))
                case .approve:
                    let approved = try store.approve(eventId: eventId, id: commentId, now: clock.now())
                    bus.publish(.approved(heldId: commentId, id: approved.id), eventId: eventId)
                    bus.commentCommitted(approved)
                    try self.log(host, .approve, target: String(commentId), detail: ModerationDetail.approved(id: approved.id))
                }
            } catch {
                failed(error)
            }
        }
    }

    /// Sets a question's state; marking one `answering` first publishes and logs the question it
    /// moved to `answered`, so every screen and every replay shows at most one answering question.
    /// `failed` hears why it did not work (not a question, not there), on the writer thread.
    package func setQuestionState(
        _ state: QuestionState, commentId: Int64, by host: Host, failed: @escaping @Sendable (any Error) -> Void
    ) throws(WebinarError) {
        let (store, bus) = (self.store, self.bus)
        try self.onWriter {
            do {
                let change = try store.setQuestionState(eventId: host.eventId, id: commentId, state)
                if let previous = change.previous {
                    bus.publish(.questionState(commentId: previous.id, state: .answered), eventId: host.eventId)
                    try self.log(host, .answered, target: String(previous.id))
                }
                bus.publish(.questionState(commentId: commentId, state: state), eventId: host.eventId)
                if let action = state.moderationAction { try self.log(host, action, target: String(commentId)) }
            } catch {
                failed(error)
            }
        }
    }

    /// Mutes an author in the room for `seconds`. The log keeps the mute across restarts and nodes:
    /// no log, no mute, so a full writer queue refuses the whole action (`overloaded`), and a log
    /// the store refused goes to `failed` (on the writer thread) for the host to try again.
    package func mute(
        authorId: String, seconds: Int, by host: Host, policy: RoomPolicy, failed: @escaping @Sendable (any Error) -> Void
    ) throws(WebinarError) {
        try self.onWriter {
            do {
                try self.log(host, .mute, target: authorId, detail: ModerationDetail.mute(seconds: seconds))
            } catch {
                failed(error)
            }
        }
        policy.mute(authorId: authorId, seconds: seconds)
        self.bus.publish(.muted(authorId: authorId, seconds: seconds), eventId: host.eventId)
    }

    /// Turns slow mode on (seconds between one author's comments) or off (0): at once in this room,
    /// then stored with the event, published and logged on the writer thread; `failed` hears why the
    /// store refused (not published then), on the writer thread.
    package func setSlowMode(
        seconds: Int, by host: Host, policy: RoomPolicy, failed: @escaping @Sendable (any Error) -> Void
    ) throws(WebinarError) {
        let (store, bus, clock, policies) = (self.store, self.bus, self.clock, self.policies)
        try self.onWriter {
            do {
                var patch = EventPatch()
                patch.slowModeSeconds = seconds
                policies.eventChanged(try store.updateEvent(slug: host.slug, patch: patch, now: clock.now()).event)
                bus.publish(.slowMode(seconds: seconds, slug: host.slug), eventId: host.eventId)
                try self.log(host, .slowmode, detail: ModerationDetail.slowMode(seconds: seconds))
            } catch {
                failed(error)
            }
        }
        policy.setSlowMode(seconds: seconds)
    }

    /// Runs `work` on the writer thread after everything queued before it; `overloaded` when the
    /// queue is full (nothing runs).
    private func onWriter(_ work: @escaping @Sendable () -> Void) throws(WebinarError) {
        guard self.writer.perform(work) else { throw CommentWriter.overloaded }
    }

    /// Appends to the moderation log; runs on the writer thread, so the log keeps the actions' order.
    private func log(_ host: Host, _ action: ModerationAction, target: String? = nil, detail: String? = nil) throws {
        try self.store.appendModerationLog(
            NewModerationLogEntry(
                eventId: host.eventId, actor: host.actor, action: action, target: target, detail: detail, createdAt: self.clock.now()))
    }
}
