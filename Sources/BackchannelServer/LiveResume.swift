import DequeModule
import LiveHub
import Webinar

/// What a (re)joining member still has to receive before it is live, in the order it must arrive:
/// comments after `since` from the store, then (for hosts) the review queue, then the live frames
/// that arrived meanwhile. Frames are encoded as they are taken, a slice at a time.
struct LiveResume {
    private var comments: ArraySlice<Comment> = []
    private var held: ArraySlice<Comment> = []
    /// Live frames that arrived since the member subscribed; bounded by `LiveContext.maxHeldWhileResuming`.
    private(set) var arrived: Deque<LiveFrame> = []

    mutating func load(_ backlog: LiveJoin.Backlog) {
        self.comments = backlog.comments[...]
        self.held = backlog.held[...]
    }

    mutating func arrive(_ frame: LiveFrame) {
        self.arrived.append(frame)
    }

    mutating func next(messages: LiveMessages) -> LiveFrame? {
        if let comment = self.comments.popFirst() { return messages.comment(comment) }
        if let comment = self.held.popFirst() { return messages.held(comment) }
        return self.arrived.popFirst()
    }
}
