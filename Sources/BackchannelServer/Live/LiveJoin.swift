import Foundation
import LiveHub
import Webinar

/// A refused join: the error to send, and whether the connection must close (nothing could ever work).
struct LiveJoinError: Error {
    let code: String
    let message: String
    let fatal: Bool
    /// How long to hold the refusal: a wrong host key earns its address a delay (``AuthPenalties``).
    var delayMilliseconds: UInt64 = 0
}

/// The store reads of a join, run on a store thread: who the caller is, and what they missed.
enum LiveJoin {
    /// - Parameter client: the peer's address, logged with a wrong host key or ticket code.
    static func resolve(slug: String, ticket: String?, hostKey: String?, client: String, live: LiveContext) throws
        -> Result<LiveSession.Member, LiveJoinError>
    {
        guard let event = try live.api.store.event(slug: slug) else {
            return .failure(LiveJoinError(code: "event_not_found", message: "No event has this slug; check the link.", fatal: true))
        }
        let policy = try live.policies.policy(for: event) { try live.api.store.moderationLog(eventId: event.id) }
        if let hostKey {
            guard let caller = try live.api.caller(token: hostKey, slug: slug) else {
                let delay = live.api.authFailures.record(client: client, credential: .hostKey)
                return .failure(
                    LiveJoinError(
                        code: "bad_host_key", message: "This host key is not valid for this event.", fatal: false,
                        delayMilliseconds: delay))
            }
            let moderator: Moderator = caller == .admin ? .admin : .host
            return .success(
                LiveSession.Member(
                    event: event, role: .host, viewerReason: "", authorId: Comment.authorId(of: moderator),
                    author: moderator.displayName, moderator: moderator, policy: policy))
        }
        if let ticket {
            guard let registration = try live.api.store.registration(code: ticket), registration.eventId == event.id,
                registration.status != .cancelled
            else {
                live.api.authFailures.record(client: client, credential: .ticketCode)
                return .failure(LiveJoinError(code: "bad_ticket", message: "This ticket code is not valid for this event.", fatal: false))
            }
            if registration.status == .ticketed {
                return .success(
                    LiveSession.Member(
                        event: event, role: .attendee, viewerReason: "", authorId: registration.authorId,
                        author: registration.name, moderator: .host, policy: policy))
            }
            guard policy.publicViewing else {
                return .failure(
                    LiveJoinError(
                        code: "not_ticketed", message: "You are on the waiting list; this event is for ticket holders only.", fatal: false))
            }
            return .success(
                LiveSession.Member(
                    event: event, role: .viewer, viewerReason: "not_ticketed", authorId: registration.authorId,
                    author: registration.name, moderator: .host, policy: policy))
        }
        guard policy.publicViewing else {
            return .failure(
                LiveJoinError(
                    code: "ticket_required", message: "This event is for ticket holders; join with your ticket code.", fatal: false))
        }
        return .success(
            LiveSession.Member(
                event: event, role: .viewer, viewerReason: "read_only", authorId: "", author: "", moderator: .host, policy: policy))
    }

    struct Backlog {
        var lastId: Int64?
        /// The first page of comments after `since`; `LiveResume` asks for the next while pages come back full.
        var comments = CommentPage()
        var held: [Comment] = []
        /// After a resume (`since` given): the room's state now, which the welcome carries.
        var state: LiveMessages.RoomState?
        /// The joining ticket's registration status, read after subscribing (nil without a ticket).
        var status: RegistrationStatus?
    }

    /// Comments after an id, one store page; `nextAfter` is where the next page starts, nil when
    /// this page reached the end of what was committed.
    struct CommentPage {
        var comments: [Comment] = []
        var nextAfter: Int64?
    }

    static let resumePageSize = 500

    /// What a (re)joining client gets before live traffic: the first page after `since`, and for hosts the review queue.
    static func backlog(eventId: Int64, since: Int64?, includeHeld: Bool, live: LiveContext) throws -> Backlog {
        let store = live.api.store
        var backlog = Backlog(lastId: try store.lastCommentId(eventId: eventId))
        if let since {
            backlog.comments = try self.comments(eventId: eventId, after: since, live: live)
            backlog.state = LiveMessages.RoomState(
                questions: try store.questions(eventId: eventId), pinned: try store.pinnedIds(eventId: eventId))
        }
        if includeHeld {
            var after: Int64 = 0
            while backlog.held.count < 5000 {
                let page = try store.comments(eventId: eventId, after: after, limit: 500, includeHidden: true)
                guard let last = page.last else { break }
                backlog.held.append(contentsOf: page.filter { $0.status == .held })
                after = last.id
                if page.count < 500 { break }
            }
        }
        return backlog
    }

    static func comments(eventId: Int64, after: Int64, live: LiveContext) throws -> CommentPage {
        let page = try live.api.store.comments(eventId: eventId, after: after, limit: Self.resumePageSize, includeHidden: false)
        return CommentPage(comments: page, nextAfter: page.count == Self.resumePageSize ? page.last?.id : nil)
    }
}
