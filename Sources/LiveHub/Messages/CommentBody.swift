package import Webinar

/// `Comment` as the contract shows it; `role` is `host`/`admin` for their comments and null for
/// attendees'; `kind` is `comment` or `question`, `state` a question's state (null for a comment);
/// `hidden` and `held` only appear for hosts. The same shape in HTTP answers and live messages.
package struct CommentBody: Encodable {
    let comment: Comment
    let forHost: Bool

    package init(comment: Comment, forHost: Bool) {
        self.comment = comment
        self.forHost = forHost
    }

    enum Keys: String, CodingKey { case id, authorId, author, text, replyTo, likes, pinned, createdAt, role, kind, state, hidden, held }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(self.comment.id, forKey: .id)
        try c.encode(self.comment.authorId, forKey: .authorId)
        try c.encode(self.comment.author, forKey: .author)
        try c.encode(self.comment.text, forKey: .text)
        try c.encode(self.comment.replyTo, forKey: .replyTo)
        try c.encode(self.comment.likes, forKey: .likes)
        try c.encode(self.comment.pinned, forKey: .pinned)
        try c.encode(RFC3339.format(self.comment.createdAt), forKey: .createdAt)
        try c.encode(self.comment.role?.rawValue, forKey: .role)
        try c.encode(self.comment.kind.rawValue, forKey: .kind)
        try c.encode(self.comment.questionState?.rawValue, forKey: .state)
        if self.forHost {
            try c.encode(self.comment.hidden, forKey: .hidden)
            try c.encode(self.comment.status == .held, forKey: .held)
        }
    }
}
