public import Foundation

/// Everything the server needs from storage, synchronous and throwing.
///
/// The server calls it from a small pool of store threads, never from event-loop threads, so methods
/// may block on disk. Domain failures are thrown as ``WebinarError``; anything else (I/O, a corrupt file)
/// is an internal error. Every method that decides seats or ids does so in one transaction, so capacity
/// and id order hold under any concurrency.
public protocol WebinarStore: MailOutbox {
    // MARK: Events

    /// Creates an event; a missing slug is derived from the title (with a random suffix when taken),
    /// a given slug that is taken is `slug_taken`.
    func createEvent(_ new: NewEvent, hostKeyHash: String, now: Date) throws -> Event
    /// The event with its current `ticketsIssued` and `waitlistLength`, or nil.
    func event(slug: String) throws -> Event?
    /// All events, soonest first.
    func events() throws -> [Event]
    /// The stored hash of the event's host key, or nil for an unknown slug.
    func hostKeyHash(slug: String) throws -> String?
    /// Applies `patch` (see ``EventPatch/applied(to:)``); raising capacity gives the new seats to waitlisted
    /// registrations in waitlist order (offers or tickets, ``RegistrationPlan``), in the same transaction,
    /// and returns them.
    func updateEvent(slug: String, patch: EventPatch, now: Date) throws -> (event: Event, promoted: [Registration])

    // MARK: Registrations

    /// Registers `email` (normalized) for the event: a ticket while seats are left, else the waitlist.
    /// The same email again returns the existing registration with `created == false`; a cancelled one is
    /// reactivated at the end of the queue (`created == true`). Closed → `registration_closed`.
    /// By default a batch of one through ``registerBatch(_:now:)``.
    func register(slug: String, name: String, email: String, now: Date) throws
        -> (registration: Registration, created: Bool)
    /// Registers every request in ONE transaction (group commit), in order, with exactly the semantics of
    /// ``register(slug:name:email:now:)`` for each: later requests see the seats, waitlist places and
    /// emails of earlier ones (the same email twice gives one registration, the second `created == false`).
    /// A domain failure (invalid input, unknown event, closed registration) is that request's `.failure`
    /// and changes nothing for it; the others still commit. Only a storage failure throws, and then
    /// nothing of the batch is stored.
    func registerBatch(_ requests: [RegistrationRequest], now: Date) throws
        -> [Result<RegistrationOutcome, WebinarError>]
    /// The registration with its current waitlist position, or nil.
    func registration(code: String) throws -> Registration?
    /// Cancels; a freed seat (a ticket or an open offer) goes to the first waitlisted registration in the
    /// same transaction, as an offer or a ticket (``RegistrationPlan``), and is returned as `promoted`.
    /// Cancelling twice returns the cancelled registration and promotes nobody.
    func cancel(code: String, now: Date) throws -> (registration: Registration, promoted: Registration?)
    /// Claims the seat offered to the registration: `offered` → `ticketed`, with a `promoted` mail, in
    /// one transaction. A ticket claimed again is returned as it is; a lapsed offer is `offer_expired`,
    /// anything else `not_offered` (see ``RegistrationPlan/claim(_:event:now:)``).
    func claimOffer(code: String, now: Date) throws -> Registration
    /// Declines an open offer: the registration is cancelled and the seat goes to the next person
    /// waiting in the same transaction (returned as `promoted`).
    func declineOffer(code: String, now: Date) throws -> (registration: Registration, promoted: Registration?)
    /// Lets every offer whose deadline is `now` or earlier lapse and passes each seat on, in one
    /// transaction per event; returns the registrations that got a seat or an offer. With several
    /// nodes on one database each offer lapses once: the event row is locked and the offers re-read.
    func expireOffers(now: Date) throws -> [Registration]
    /// Every registration of the event, in creation order, for hosts.
    func registrations(slug: String) throws -> [Registration]
    /// Queues a ``MailKind/ticketLink`` message with a new recovery token (kept hashed, valid for
    /// ``TicketLink/validity``) for the event's active registration under `email` (normalized), unless
    /// one was queued less than ``TicketLink/minimumInterval`` ago. An unknown slug is `event_not_found`.
    func requestTicketLink(slug: String, email: String, now: Date) throws -> TicketLink.Outcome
    /// Follows a recovery link: the registration gets a new ticket code (returned in `code`, its
    /// old one stops working) and the token is used up. An unknown, used or expired token, or a
    /// registration cancelled since, is `recovery_link_invalid`.
    func recoverTicket(token: String, now: Date) throws -> Registration

    // MARK: Comments

    /// Stores a batch in ONE transaction (group commit) and returns the comments in batch order.
    /// Ids grow strictly per event, held comments included. A comment whose author already stored one
    /// with the same nonce (earlier, on any node, or earlier in this batch) is not stored again: its
    /// answer is that comment, `repeated` (the rule of ``CommentNonces``). A reply whose target is not a
    /// public comment of its event when the transaction reads it is that comment's `.failure(badReply)`
    /// and takes no id; the others are still stored. Only a storage failure or an unknown event throws,
    /// and then nothing of the batch is stored.
    func appendCommentBatch(_ batch: [NewComment], now: Date) throws -> [Result<AppendedComment, WebinarError>]
    /// Comments with id > `after` in id order, at most `limit`: public ones only, or also hidden and held
    /// ones when `includeHidden`.
    func comments(eventId: Int64, after: Int64?, limit: Int, includeHidden: Bool) throws -> [Comment]
    /// One comment, whatever its state, or nil.
    func comment(eventId: Int64, id: Int64) throws -> Comment?
    func setHidden(eventId: Int64, id: Int64, _ hidden: Bool) throws -> Comment
    func setPinned(eventId: Int64, id: Int64, _ pinned: Bool) throws -> Comment
    /// Makes a held comment visible under a NEW id from the event's counter (so every client's order and
    /// resume-by-id stay right) and returns it; a comment that is not held is `not_held`.
    func approve(eventId: Int64, id: Int64, now: Date) throws -> Comment
    /// Sets a question's state in one transaction; marking one `answering` moves the event's question
    /// that was answering to `answered` (returned as `previous`). A comment that is not a question is
    /// `not_a_question`; a missing one `comment_not_found`.
    func setQuestionState(eventId: Int64, id: Int64, _ state: QuestionState) throws -> QuestionStateChange
    /// The event's public questions in id order (what a resuming client needs: votes and states).
    func questions(eventId: Int64) throws -> [Comment]
    /// The ids of the event's pinned public comments, in id order (what a resuming client shows pinned).
    func pinnedIds(eventId: Int64) throws -> [Int64]
    /// Counts one like per liker per public comment; `changed` is false for a repeat.
    /// By default a batch of one through ``likeBatch(_:)``.
    func like(eventId: Int64, commentId: Int64, likerId: String) throws -> (likes: Int, changed: Bool)
    /// Counts every like in ONE transaction (group commit, like ``appendComments(_:now:)``), in order, each
    /// with exactly the semantics of ``like(eventId:commentId:likerId:)``: later likes see the earlier ones.
    /// A like of a missing or non-public comment is that like's `.failure(commentNotFound)` and the others
    /// still count. Only a storage failure throws, and then none of the batch is counted.
    func likeBatch(_ likes: [LikeRequest]) throws -> [Result<LikeOutcome, WebinarError>]
    func appendModerationLog(_ entry: NewModerationLogEntry) throws
    /// The event's moderation log, oldest first.
    func moderationLog(eventId: Int64) throws -> [ModerationLogEntry]
    /// The last id the event's counter handed out (held comments included), or nil before the first.
    func lastCommentId(eventId: Int64) throws -> Int64?
}

extension WebinarStore {
    public func register(slug: String, name: String, email: String, now: Date) throws
        -> (registration: Registration, created: Bool)
    {
        let results = try self.registerBatch([RegistrationRequest(slug: slug, name: name, email: email)], now: now)
        return try results[0].get()
    }

    /// ``appendCommentBatch(_:now:)`` without telling repeats apart; throws the first refused comment's
    /// error (the others of the batch are stored all the same).
    public func appendComments(_ batch: [NewComment], now: Date) throws -> [Comment] {
        try self.appendCommentBatch(batch, now: now).map { try $0.get().comment }
    }

    public func like(eventId: Int64, commentId: Int64, likerId: String) throws -> (likes: Int, changed: Bool) {
        let outcome = try self.likeBatch([LikeRequest(eventId: eventId, commentId: commentId, likerId: likerId)])[0].get()
        return (outcome.likes, outcome.changed)
    }
}
