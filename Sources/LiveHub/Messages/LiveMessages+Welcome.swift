package import Webinar

extension LiveMessages {
    /// What a resumed client must be told besides the comments it missed: state that changed while it
    /// was away (votes and states of questions, pins).
    package struct RoomState: Sendable {
        package let questions: [Comment]
        package let pinned: [Int64]

        package init(questions: [Comment], pinned: [Int64]) {
            self.questions = questions
            self.pinned = pinned
        }
    }

    /// `{"type":"welcome", role, viewers, lastId}`; after a resume (`state` given) also every public
    /// question's votes and state, the `answering` one and the `pinned` ids, so a client that missed
    /// changes while away shows the room as it is now, not as it left it.
    package static func welcome(role: String, viewers: Int, lastId: Int64?, state: RoomState? = nil) -> [UInt8] {
        JSONBody.encode(Welcome(role: role, viewers: viewers, lastId: lastId, state: state))
    }

    private struct Welcome: Encodable {
        let role: String
        let viewers: Int
        let lastId: Int64?
        let state: RoomState?

        struct Question: Encodable {
            let commentId: Int64
            let likes: Int
            let state: String
        }

        enum Keys: String, CodingKey { case type, role, viewers, lastId, questions, answering, pinned }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode("welcome", forKey: .type)
            try c.encode(self.role, forKey: .role)
            try c.encode(self.viewers, forKey: .viewers)
            try c.encode(self.lastId, forKey: .lastId)
            guard let state = self.state else { return }
            try c.encode(
                state.questions.map { Question(commentId: $0.id, likes: $0.likes, state: ($0.questionState ?? .open).rawValue) },
                forKey: .questions)
            try c.encode(state.questions.first { $0.questionState == .answering }?.id, forKey: .answering)
            try c.encode(state.pinned, forKey: .pinned)
        }
    }
}
