/// One like to count: `likerId` (a registration's public author id, or `host`) likes comment
/// `commentId` of event `eventId`. Likes are counted in batches (``WebinarStore/likeBatch(_:)``).
public struct LikeRequest: Sendable, Hashable {
    public var eventId: Int64
    public var commentId: Int64
    public var likerId: String

    public init(eventId: Int64, commentId: Int64, likerId: String) {
        self.eventId = eventId
        self.commentId = commentId
        self.likerId = likerId
    }
}

/// A counted like: the comment's like count afterwards, and whether this like changed it (false
/// for a repeat by the same liker).
public struct LikeOutcome: Sendable, Equatable {
    public var likes: Int
    public var changed: Bool

    public init(likes: Int, changed: Bool) {
        self.likes = likes
        self.changed = changed
    }
}
