public import Foundation

/// A stored comment in an event's room.
///
/// `id` grows strictly within an event (a per-event counter, held comments included), so a client
/// resumes with "every visible comment with id > since". Approving a held comment gives it a new id.
public struct Comment: Sendable, Equatable, Codable {
    public var eventId: Int64
    public var id: Int64
    /// The author's public id (a registration's `authorId`, or the host's), never a code.
    public var authorId: String
    /// The author's display name.
    public var author: String
    public var text: String
    public var replyTo: Int64?
    public var likes: Int
    public var pinned: Bool
    /// Hidden by a host; kept for the archive and the moderation view.
    public var hidden: Bool
    public var status: CommentStatus
    public var createdAt: Date
    /// A comment or a question; questions are voted on with likes.
    public var kind: CommentKind
    /// Where a question stands with the host; nil for a comment.
    public var questionState: QuestionState?

    public init(
        eventId: Int64, id: Int64, authorId: String, author: String, text: String, replyTo: Int64? = nil,
        likes: Int = 0, pinned: Bool = false, hidden: Bool = false, status: CommentStatus = .visible, createdAt: Date,
        kind: CommentKind = .comment, questionState: QuestionState? = nil
    ) {
        self.eventId = eventId
        self.id = id
        self.authorId = authorId
        self.author = author
        self.text = text
        self.replyTo = replyTo
        self.likes = likes
        self.pinned = pinned
        self.hidden = hidden
        self.status = status
        self.createdAt = createdAt
        self.kind = kind
        self.questionState = kind == .question ? (questionState ?? .open) : nil
    }

    /// Shown to everyone: neither hidden nor held.
    public var isPublic: Bool { !self.hidden && self.status == .visible }
}

extension Comment {
    /// The author id of the comments a host (`host`) or the admin (`admin`) posts; a registration's
    /// `authorId` is 16 random characters, so it is never one of these.
    public static func authorId(of moderator: Moderator) -> String { moderator.rawValue }

    /// Who among the people running the event wrote this, or nil for an attendee: what pages show
    /// as a badge, so nobody can pass for the host by name alone.
    ///
    /// Comments an admin posted before admins had their own author id carry `host` and the name "Admin".
    public var role: Moderator? {
        switch self.authorId {
        case Self.authorId(of: .admin): .admin
        case Self.authorId(of: .host): self.author == Moderator.admin.displayName ? .admin : .host
        default: nil
        }
    }
}
