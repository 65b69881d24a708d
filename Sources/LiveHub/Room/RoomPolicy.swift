public import Foundation
import Synchronization
public import Webinar

/// The live rules of one event's room: who may comment now, what waits for review, and how many
/// messages each person may send. Shared by the room's members on every loop, so its state sits
/// behind a lock held for microseconds.
public final class RoomPolicy: Sendable {
    struct State {
        var throttle: AuthorThrottle
        var messages: MessageBudgets
        var moderation: ModerationMode
        var blockedWords: BlockedWords
        var publicViewing: Bool
    }

    public enum Decision: Sendable, Equatable {
        case publish
        /// Only hosts see it until one approves it (review mode, or a blocked word matched).
        case hold
    }

    private let state: Mutex<State>
    private let clock: LiveClock

    public init(event: Event, limits: RoomLimits = RoomLimits(), clock: LiveClock = .system) {
        self.clock = clock
        self.state = Mutex(
            State(
                throttle: AuthorThrottle(
                    limit: limits.comments, window: TimeInterval(limits.commentWindowSeconds), slowModeSeconds: event.slowModeSeconds),
                messages: MessageBudgets(limit: limits.messages, window: TimeInterval(limits.messageWindowSeconds)),
                moderation: event.moderation,
                blockedWords: BlockedWords(event.blockedWords),
                publicViewing: event.publicViewing))
    }

    /// Takes the event's current settings (after a PATCH) without forgetting mutes or recent posts.
    public func update(from event: Event) {
        self.state.withLock { state in
            state.throttle.slowModeSeconds = event.slowModeSeconds
            state.moderation = event.moderation
            state.blockedWords = BlockedWords(event.blockedWords)
            state.publicViewing = event.publicViewing
        }
    }

    public var publicViewing: Bool { self.state.withLock { $0.publicViewing } }

    /// Counts one message from `sender` (an author id, or `host`) against its budget, whatever the
    /// message is; throws `rate_limited` once the budget is spent.
    public func admitMessage(from sender: String) throws(WebinarError) {
        let now = self.clock.now()
        try self.state.withLock { (state: inout State) throws(WebinarError) in
            try state.messages.spend(sender, now: now)
        }
    }

    /// Checks mute, slow mode and the per-author rate; then decides publish or hold.
    public func admit(authorId: String, isHost: Bool, text: String) throws(WebinarError) -> Decision {
        let now = self.clock.now()
        return try self.state.withLock { (state: inout State) throws(WebinarError) -> Decision in
            try state.throttle.admit(authorId: authorId, isHost: isHost, now: now)
            if isHost { return .publish }
            if state.moderation == .review || state.blockedWords.matches(text) { return .hold }
            return .publish
        }
    }

    /// Mutes the author for `seconds` from now.
    public func mute(authorId: String, seconds: Int) {
        let until = self.clock.now().addingTimeInterval(TimeInterval(seconds))
        self.state.withLock { $0.throttle.mute(authorId: authorId, until: until) }
    }

    /// Mutes each author until the given time (from `ModerationDetail.activeMutes`).
    public func restore(mutes: [String: Date]) {
        self.state.withLock { state in
            for (authorId, until) in mutes { state.throttle.mute(authorId: authorId, until: until) }
        }
    }

    public func setSlowMode(seconds: Int) {
        self.state.withLock { $0.throttle.slowModeSeconds = seconds }
    }
}

/// The per-person limits of every room.
public struct RoomLimits: Sendable, Equatable {
    /// At most `comments` comments per author per `commentWindowSeconds` (sliding window).
    public var comments: Int
    public var commentWindowSeconds: Int
    /// At most `messages` live messages of any kind per person per `messageWindowSeconds` (token bucket).
    public var messages: Int
    public var messageWindowSeconds: Int

    public init(comments: Int = 5, commentWindowSeconds: Int = 10, messages: Int = 60, messageWindowSeconds: Int = 10) {
        self.comments = comments
        self.commentWindowSeconds = commentWindowSeconds
        self.messages = messages
        self.messageWindowSeconds = messageWindowSeconds
    }
}

/// One `RoomPolicy` per event, made on first use.
public final class RoomPolicies: Sendable {
    private let policies = Mutex<[Int64: RoomPolicy]>([:])
    public let limits: RoomLimits
    /// The clock every room's rules read.
    public let clock: LiveClock

    public init(limits: RoomLimits = RoomLimits(), clock: LiveClock = .system) {
        self.limits = limits
        self.clock = clock
    }

    /// The room's policy, made on first use with the mutes still running in `history` (the event's
    /// moderation log), so a mute outlives a restart and reaches a node that had no room when it was set.
    /// `history` is read outside the lock and only when the room is new here.
    public func policy(for event: Event, history: () throws -> [ModerationLogEntry]) rethrows -> RoomPolicy {
        if let existing = self.existing(eventId: event.id) { return existing }
        let made = RoomPolicy(event: event, limits: self.limits, clock: self.clock)
        made.restore(mutes: ModerationDetail.activeMutes(in: try history(), now: self.clock.now()))
        return self.policies.withLock { policies in
            if let raced = policies[event.id] { return raced }
            policies[event.id] = made
            return made
        }
    }

    /// The room's policy if one was made on this node; a room made later reads mutes from the log.
    public func existing(eventId: Int64) -> RoomPolicy? {
        self.policies.withLock { $0[eventId] }
    }

    /// Applies changed settings to a live room, if there is one.
    public func eventChanged(_ event: Event) {
        self.policies.withLock { $0[event.id] }?.update(from: event)
    }
}
