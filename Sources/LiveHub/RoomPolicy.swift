import Foundation
import Synchronization
import Webinar

/// The live rules of one event's room: who may comment now, and what waits for review.
/// Shared by the room's members on every loop, so its state sits behind a lock held for microseconds.
public final class RoomPolicy: Sendable {
    struct State {
        var throttle: AuthorThrottle
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

    public init(event: Event, rateLimit: Int = 5, rateWindowSeconds: Int = 10) {
        self.state = Mutex(State(
            throttle: AuthorThrottle(
                limit: rateLimit, window: TimeInterval(rateWindowSeconds), slowModeSeconds: event.slowModeSeconds),
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

    /// Checks mute, slow mode and the per-author rate; then decides publish or hold.
    public func admit(authorId: String, isHost: Bool, text: String, now: Date) throws(WebinarError) -> Decision {
        try self.state.withLock { (state: inout State) throws(WebinarError) -> Decision in
            try state.throttle.admit(authorId: authorId, isHost: isHost, now: now)
            if isHost { return .publish }
            if state.moderation == .review || state.blockedWords.matches(text) { return .hold }
            return .publish
        }
    }

    public func mute(authorId: String, seconds: Int, now: Date) {
        self.state.withLock { $0.throttle.mute(authorId: authorId, until: now.addingTimeInterval(TimeInterval(seconds))) }
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

/// One `RoomPolicy` per event, made on first use.
public final class RoomPolicies: Sendable {
    private let policies = Mutex<[Int64: RoomPolicy]>([:])
    private let rateLimit: Int
    private let rateWindowSeconds: Int

    /// - Parameters: rateLimit, rateWindowSeconds: at most `rateLimit` comments per author per window.
    public init(rateLimit: Int = 5, rateWindowSeconds: Int = 10) {
        self.rateLimit = rateLimit
        self.rateWindowSeconds = rateWindowSeconds
    }

    /// The room's policy, made on first use with the mutes still running in `history` (the event's
    /// moderation log), so a mute outlives a restart and reaches a node that had no room when it was set.
    /// `history` is read outside the lock and only when the room is new here.
    public func policy(for event: Event, history: () throws -> [ModerationLogEntry]) rethrows -> RoomPolicy {
        if let existing = self.existing(eventId: event.id) { return existing }
        let made = RoomPolicy(event: event, rateLimit: self.rateLimit, rateWindowSeconds: self.rateWindowSeconds)
        made.restore(mutes: ModerationDetail.activeMutes(in: try history(), now: Date()))
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
