import DequeModule
import LiveHub
import Webinar

/// What a (re)joining member still has to receive before it is live, in the order it must arrive:
/// every comment after `since` from the store (a page at a time), then (for hosts) the review
/// queue, then the live frames that arrived meanwhile. Frames are encoded as they are taken.
struct LiveResume {
    enum Step {
        case send(LiveFrame)
        /// The store has more comments after this id: read the next page before anything else goes.
        case readPage(after: Int64)
        case done
    }

    private var comments: ArraySlice<Comment> = []
    private var nextPageAfter: Int64?
    private var held: ArraySlice<Comment> = []
    /// Held comments with ids up to this one were in the store read (ids follow commit order), so
    /// their live `held` frames, which can arrive even after the resume, are not sent again.
    private var heldReadThrough: Int64 = 0
    /// Live frames that arrived since the member subscribed; bounded by `LiveContext.maxHeldWhileResuming`.
    private(set) var arrived: Deque<LiveFrame> = []
    /// A page read is on a store thread; don't ask twice.
    var pageRequested = false

    mutating func load(_ backlog: LiveJoin.Backlog) {
        self.load(backlog.comments)
        self.held = backlog.held[...]
        self.heldReadThrough = max(backlog.lastId ?? 0, backlog.held.last?.id ?? 0)
    }

    /// A live `held` frame for a comment the store read already covered (sent, or approved since).
    func coversHeld(_ frame: LiveFrame) -> Bool {
        guard let id = frame.heldId else { return false }
        return id <= self.heldReadThrough
    }

    mutating func load(_ page: LiveJoin.CommentPage) {
        self.comments = page.comments[...]
        self.nextPageAfter = page.nextAfter
        self.pageRequested = false
    }

    mutating func arrive(_ frame: LiveFrame) {
        self.arrived.append(frame)
    }

    mutating func next(messages: LiveMessages) -> Step {
        if let comment = self.comments.popFirst() { return .send(messages.comment(comment)) }
        if let after = self.nextPageAfter { return .readPage(after: after) }
        if let comment = self.held.popFirst() { return .send(messages.held(comment)) }
        while let frame = self.arrived.popFirst() {
            if !self.coversHeld(frame) { return .send(frame) }
        }
        return .done
    }
}
