import Foundation
import LiveHub
import Prometheus
import Sockets
import WebSocket
import Webinar

/// One connection to `/api/events/{slug}/live`: join, resume, and the room's traffic.
///
/// Lives on its connection's loop. Store work runs on the store threads or the comment writer and
/// hops back with `loop.execute`; `@unchecked Sendable` only lets those closures carry the reference.
final class LiveSession: WebSocketSessionDelegate, LiveMember, @unchecked Sendable {
    enum Role: String {
        case attendee, host, viewer
    }

    struct Member {
        let event: Event
        let role: Role
        /// Why a viewer can't post: `read_only` (no ticket) or `not_ticketed` (waitlisted).
        let viewerReason: String
        let authorId: String
        let author: String
        let moderator: Moderator
        let policy: RoomPolicy
    }

    enum Phase {
        case awaitingJoin
        case joining
        /// The join was refused with a wrong host key: the refusal waits for the delegate deadline
        /// (slowed per address, ``AuthPenalties``) while the join timeout keeps running.
        case refusing(LiveJoinError)
        /// Subscribed; the store backlog goes out a slice at a time and live frames wait behind it.
        case resuming(Member)
        case live(Member)
        case closed
    }

    let live: LiveContext
    let slug: String
    weak var session: WebSocketSession?
    var phase: Phase = .awaitingJoin
    private var lastSentCommentId: Int64 = 0
    /// What a member still has to receive before it is live (phase `.resuming`).
    private var resume = LiveResume()
    /// This connection's message budget, for messages before a join and from anonymous viewers;
    /// a person who joined spends the room's budget for them instead (`spendMessageBudget`).
    var budget: MessageBudget
    /// The last `rate_limited` answer without a nonce, framed: a flood is answered with the same
    /// bytes over and over instead of encoding each refusal anew.
    var rateLimitedFrame: (message: String, frame: ByteChunk)?
    /// The ticket code this connection joined with, to read its registration's status again once subscribed.
    private var ticket: String?
    /// The welcome went out: role changes from now on are told with a `role` message.
    private(set) var welcomed = false
    /// Loop time by which a join must have succeeded (`live.join.timeout.seconds` after the upgrade).
    private var joinDue: UInt64 = 0

    init(live: LiveContext, slug: String) {
        self.live = live
        self.slug = slug
        let limits = live.policies.limits
        self.budget = MessageBudget(limit: limits.messages, window: TimeInterval(limits.messageWindowSeconds))
    }

    var member: Member? {
        switch self.phase {
        case .resuming(let member), .live(let member): member
        default: nil
        }
    }

    var isHost: Bool { self.member?.role == .host }

    /// Set once when the session opens, before any other thread can see this object.
    private(set) var loop: EventLoop?

    // MARK: WebSocketSessionDelegate

    func sessionDidOpen(_ session: WebSocketSession) {
        self.session = session
        self.loop = session.connection.loop
        self.joinDue = session.connection.loop.now + UInt64(self.live.joinTimeoutMilliseconds)
        session.setDelegateDeadline(milliseconds: self.live.joinTimeoutMilliseconds)
    }

    func sessionDelegateDeadlinePassed(_ session: WebSocketSession) {
        if case .refusing(let refusal) = self.phase {
            self.refuseJoin(refusal, session: session)
            let left = Int(self.joinDue) - Int(session.connection.loop.now)
            guard left <= 0 else { return session.setDelegateDeadline(milliseconds: left) }
        }
        if case .live(let member) = self.phase, let loop = self.loop {
            self.live.hub.promote(self, eventId: member.event.id, loop: loop)
        } else if case .awaitingJoin = self.phase {
            session.close(code: .policyViolation, reason: "join expected in time")
        } else if case .joining = self.phase {
            session.close(code: .policyViolation, reason: "join expected in time")
        }
    }

    func session(_ session: WebSocketSession, didReceive message: WebSocketMessage) {
        let outcome: Result<LiveClientMessage, LiveClientMessage.Invalid>
        if case .text(let bytes) = message {
            outcome = Result { () throws(LiveClientMessage.Invalid) in try LiveClientMessage.parse(bytes) }
        } else {
            outcome = .failure(LiveClientMessage.Invalid(message: "Send JSON in text frames."))
        }
        // Every message counts against a limit before it costs the store anything: a comment that may
        // be posted against the comment rate (the room's throttle), anything else against the message budget.
        guard self.countsAsComment(outcome) || self.admitMessage(nonce: outcome.nonce) else { return }
        let parsed: LiveClientMessage
        switch outcome {
        case .success(let message):
            parsed = message
        case .failure(let error):
            self.sendError("bad_message", error.message, nonce: error.nonce)
            return
        }
        if case .join(let ticket, let hostKey, let since) = parsed {
            guard case .awaitingJoin = self.phase else {
                self.sendError("bad_message", "You have already joined.")
                return
            }
            self.join(ticket: ticket, hostKey: hostKey, since: since)
            return
        }
        guard let member = self.member else {
            self.sendError("not_joined", "Send a join message first.")
            return
        }
        self.handle(parsed, as: member)
    }

    func sessionDidClose(_ session: WebSocketSession) {
        if let member = self.member, let loop = self.loop {
            self.live.hub.leave(self, eventId: member.event.id, loop: loop)
        }
        self.phase = .closed
        self.resume = LiveResume()
    }

    // MARK: LiveMember

    func deliver(_ frame: LiveFrame) {
        switch self.phase {
        case .resuming:
            guard self.resume.arrived.count < LiveContext.maxHeldWhileResuming else {
                self.session?.close(code: .policyViolation, reason: "too slow: resume from since", flushFirst: false)
                return
            }
            self.resume.arrive(frame)
        case .live:
            guard !self.resume.coversHeld(frame) else { return }
            self.send(frame)
        default:
            return
        }
    }

    var fanOutConnection: (connection: Connection, compressed: Bool)? {
        guard case .live = self.phase, let session = self.session, session.connection.isOpen, !session.closeSent else {
            return nil
        }
        return (session.connection, session.takesSharedCompressedFrame)
    }

    private func send(_ frame: LiveFrame) {
        if let id = frame.commentId {
            guard id > self.lastSentCommentId else { return }  // already sent by the resume
            self.lastSentCommentId = id
        }
        guard let session = self.session else { return }
        if session.send(frame: session.takesSharedCompressedFrame ? frame.compressed ?? frame.frame : frame.frame) {
            self.live.metrics.messagesSent.increment()
        }
    }

    // MARK: Join

    private func join(ticket: String?, hostKey: String?, since: Int64?) {
        guard let loop = self.loop else { return }
        self.phase = .joining
        self.ticket = hostKey == nil ? ticket : nil
        let live = self.live
        let slug = self.slug
        let client = self.session?.connection.peerHost ?? "-"
        live.api.executor.submit { [self] in
            let outcome: Result<Member, LiveJoinError>
            do {
                outcome = try LiveJoin.resolve(slug: slug, ticket: ticket, hostKey: hostKey, client: client, live: live)
            } catch {
                outcome = .failure(LiveJoinError(code: "unavailable", message: "The event could not be loaded; try again.", fatal: false))
            }
            loop.execute { [self] in self.joinResolved(outcome, since: since) }
        }
    }

    private func joinResolved(_ outcome: Result<Member, LiveJoinError>, since: Int64?) {
        guard case .joining = self.phase, let session = self.session, let loop = self.loop else { return }
        switch outcome {
        case .failure(let error) where error.delayMilliseconds > 0:
            self.phase = .refusing(error)
            session.setDelegateDeadline(milliseconds: Int(error.delayMilliseconds))
        case .failure(let error):
            self.refuseJoin(error, session: session)
        case .success(let member):
            session.setDelegateDeadline(milliseconds: 0)
            session.connection.releaseAddressSlot()  // a member now, no longer a pending connection of its address
            // Subscribe first, then read the store: nothing committed in between is missed.
            self.phase = .resuming(member)
            let viewers = self.live.hub.join(self, eventId: member.event.id, loop: loop)
            let live = self.live
            let ticket = self.ticket
            live.api.executor.submit { [self] in
                // The bus starts delivering the room before the backlog is read, so nothing falls between;
                // likewise the registration is read again now that changes to it reach this member.
                let backlog = Result {
                    try live.bus.roomJoined(eventId: member.event.id)
                    var backlog = try LiveJoin.backlog(
                        eventId: member.event.id, since: since, includeHeld: member.role == .host, live: live)
                    backlog.status = try ticket.flatMap { try live.api.store.registration(code: $0) }?.status
                    return backlog
                }
                loop.execute { [self] in self.resumed(viewers: viewers, backlog: backlog) }
            }
        }
    }

    private func refuseJoin(_ error: LiveJoinError, session: WebSocketSession) {
        self.phase = .awaitingJoin
        self.sendError(error.code, error.message)
        if error.fatal { session.close(code: .policyViolation, reason: error.code) }
    }

    private func resumed(viewers: Int, backlog: Result<LiveJoin.Backlog, any Error>) {
        guard case .resuming(let joined) = self.phase, let session = self.session else { return }
        guard case .success(let backlog) = backlog else {
            session.close(code: .internalError, reason: "store unavailable: join again")
            return
        }
        // What changed since the join's first read (a cancellation, public viewing turned off) holds now.
        let access = backlog.status.map { Self.access(of: joined, status: $0) } ?? Self.accessAfterRulesChanged(of: joined)
        guard self.enact(access, announce: false), let member = self.member else { return }
        session.send(
            text: LiveMessages.welcome(
                role: member.role.rawValue, viewers: viewers, lastId: backlog.lastId, state: backlog.state))
        self.welcomed = true
        self.resume.load(backlog)
        self.sendResume()
    }

    /// Sends the resume a slice at a time: up to half the backlog bound, then waits for the
    /// socket to drain, so a long gap reaches a reader at its own pace instead of tripping the
    /// slow-reader rule; the store is read a page at a time as the slices go. The member goes
    /// live once the frames that arrived meanwhile are out too.
    private func sendResume() {
        guard case .resuming(let member) = self.phase, let connection = self.session?.connection else { return }
        let sliceBytes = max(connection.maxOutboundBytes / 2, 1)
        while true {
            switch self.resume.next(messages: self.live.messages) {
            case .send(let frame):
                self.send(frame)
                if connection.outboundBytes >= sliceBytes {
                    connection.notifyWhenDrained()
                    return
                }
            case .readPage(let after):
                self.readResumePage(eventId: member.event.id, after: after)
                return
            case .done:
                self.phase = .live(member)
                // Comments committed before the store read can still arrive live for a moment and are
                // dropped by id here; after that the hub may send this member the room as it comes.
                self.session?.setDelegateDeadline(milliseconds: LiveContext.promoteAfterMilliseconds)
                return
            }
        }
    }

    private func readResumePage(eventId: Int64, after: Int64) {
        guard !self.resume.pageRequested, let loop = self.loop else { return }
        self.resume.pageRequested = true
        let live = self.live
        live.api.executor.submit { [self] in
            let page = Result { try LiveJoin.comments(eventId: eventId, after: after, live: live) }
            loop.execute { [self] in
                guard case .resuming = self.phase else { return }
                guard case .success(let page) = page else {
                    self.session?.close(code: .internalError, reason: "store unavailable: join again")
                    return
                }
                self.resume.load(page)
                self.sendResume()
            }
        }
    }

    func sessionDidDrain(_ session: WebSocketSession) {
        self.sendResume()
    }

    // MARK: Replies

    func sendError(_ code: String, _ message: String, nonce: String? = nil, retryAfter: Int? = nil) {
        self.session?.send(text: LiveMessages.error(code: code, message: message, nonce: nonce, retryAfter: retryAfter))
    }

    /// Runs on the loop later; safe to call from any thread.
    func onLoop(_ work: @escaping @Sendable (LiveSession) -> Void) {
        guard let loop = self.loop else { return }
        loop.execute { [self] in
            if case .closed = self.phase { return }
            work(self)
        }
    }
}
