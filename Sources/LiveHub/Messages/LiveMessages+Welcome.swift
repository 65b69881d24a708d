import Webinar

extension LiveMessages {
    /// `{"type":"welcome", role, viewers, lastId}`; after a resume (`questions` given) also every
    /// public question's votes and state and the `answering` one, so a client that missed changes
    /// while away shows the room as it is now, not as it left it.
    package static func welcome(role: String, viewers: Int, lastId: Int64?, questions: [Comment]? = nil) -> [UInt8] {
        JSONBody.encode(Welcome(role: role, viewers: viewers, lastId: lastId, questions: questions))
    }

    private struct Welcome: Encodable {
        let role: String
        let viewers: Int
        let lastId: Int64?
        let questions: [Comment]?

        struct Question: Encodable {
            let commentId: Int64
            let likes: Int
            let state: String
        }

        enum Keys: String, CodingKey { case type, role, viewers, lastId, questions, answering }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode("welcome", forKey: .type)
            try c.encode(self.role, forKey: .role)
            try c.encode(self.viewers, forKey: .viewers)
            try c.encode(self.lastId, forKey: .lastId)
            guard let questions = self.questions else { return }
            try c.encode(
                questions.map { Question(commentId: $0.id, likes: $0.likes, state: ($0.questionState ?? .open).rawValue) },
                forKey: .questions)
            try c.encode(questions.first { $0.questionState == .answering }?.id, forKey: .answering)
        }
    }
}
