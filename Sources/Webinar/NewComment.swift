import Foundation

/// A comment ready to store: text already validated, held-or-not already decided by the room.
public struct NewComment: Sendable, Equatable {
    public var eventId: Int64
    public var authorId: String
    public var author: String
    /// Validated with ``CommentText/validate(_:)``.
    public var text: String
    /// Stored as given: the room checks that it names a comment of this event before batching, so one bad
    /// reply cannot fail a whole group commit.
    public var replyTo: Int64?
    /// True in `review` mode for attendees, or when ``BlockedWords`` matched.
    public var held: Bool
    /// The client's nonce, echoed in the `ack` and stored with the comment, so the same nonce from
    /// the same author again is answered with the first comment; empty for none.
    public var nonce: String
    /// A comment or a question.
    public var kind: CommentKind

    public init(
        eventId: Int64, authorId: String, author: String, text: String, replyTo: Int64? = nil, held: Bool = false,
        nonce: String = "", kind: CommentKind = .comment
    ) {
        self.eventId = eventId
        self.authorId = authorId
        self.author = author
        self.text = text
        self.replyTo = replyTo
        self.held = held
        self.nonce = nonce
        self.kind = kind
    }
}
