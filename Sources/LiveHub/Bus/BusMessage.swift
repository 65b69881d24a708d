import Foundation
import Webinar

/// One NOTIFY payload between nodes: short keys on the wire (`CodingKeys`), since PostgreSQL caps a
/// payload below 8000 bytes. Comments travel as a wake-up only (kind `comments`, up to id `number`);
/// the receiver reads them from the store, so a payload never carries a comment's text.
package struct BusMessage: Codable, Equatable, Sendable {
    /// The sending node; a node ignores its own.
    package var origin: String
    /// `comments`, `presence`, or a room message (`hidden`, `pinned`, `unpinned`, `likes`,
    /// `approved`, `muted`, `slowmode`, `question`, `event`, `registration`).
    package var kind: String
    package var eventId: Int64 = 0
    /// The comment a room message is about (for `approved`, the held one).
    package var commentId: Int64? = nil
    /// The wake-up's upper comment id, or the id an approved comment got.
    package var number: Int64? = nil
    package var authorId: String? = nil
    /// Seconds (`muted`, `slowmode`) or a like count (`likes`).
    package var amount: Int? = nil
    /// The event's slug (`slowmode`, `event`), a registration's status (`registration`) or a question's state (`question`).
    package var text: String? = nil
    /// Presence: this node's members per event id.
    package var viewers: [String: Int]? = nil

    /// The wire keys, unchanged since the first multi-node release: nodes of either build understand each other.
    enum CodingKeys: String, CodingKey {
        case origin = "o"
        case kind = "k"
        case eventId = "e"
        case commentId = "c"
        case number = "n"
        case authorId = "a"
        case amount = "s"
        case text = "g"
        case
            viewers = "v"
    }

    package init(origin: String, kind: String, eventId: Int64 = 0) {
        self.origin = origin
        self.kind = kind
        self.eventId = eventId
    }

    package init(origin: String, eventId: Int64, message: RoomMessage) {
        self.init(origin: origin, kind: "", eventId: eventId)
        switch message {
        case .hidden(let id): (self.kind, self.commentId) = ("hidden", id)
        case .pinned(let id): (self.kind, self.commentId) = ("pinned", id)
        case .unpinned(let id): (self.kind, self.commentId) = ("unpinned", id)
        case .likes(let id, let likes): (self.kind, self.commentId, self.amount) = ("likes", id, likes)
        case .approved(let heldId, let id): (self.kind, self.commentId, self.number) = ("approved", heldId, id)
        case .muted(let authorId, let seconds): (self.kind, self.authorId, self.amount) = ("muted", authorId, seconds)
        case .slowMode(let seconds, let slug): (self.kind, self.amount, self.text) = ("slowmode", seconds, slug)
        case .questionState(let id, let state): (self.kind, self.commentId, self.text) = ("question", id, state.rawValue)
        case .eventChanged(let slug): (self.kind, self.text) = ("event", slug)
        case .registrationChanged(let authorId, let status):
            (self.kind, self.authorId, self.text) = ("registration", authorId, status.rawValue)
        }
    }

    /// The room message this payload carries, nil for other kinds or a malformed one.
    package var roomMessage: RoomMessage? {
        switch self.kind {
        case "hidden": self.commentId.map { .hidden(commentId: $0) }
        case "pinned": self.commentId.map { .pinned(commentId: $0) }
        case "unpinned": self.commentId.map { .unpinned(commentId: $0) }
        case "likes": self.commentId.flatMap { id in self.amount.map { .likes(commentId: id, likes: $0) } }
        case "approved": self.commentId.flatMap { held in self.number.map { .approved(heldId: held, id: $0) } }
        case "muted": self.authorId.flatMap { author in self.amount.map { .muted(authorId: author, seconds: $0) } }
        case "slowmode": self.amount.flatMap { seconds in self.text.map { .slowMode(seconds: seconds, slug: $0) } }
        case "question":
            self.commentId.flatMap { id in self.text.flatMap(QuestionState.init(rawValue:)).map { .questionState(commentId: id, state: $0) }
            }
        case "event": self.text.map { .eventChanged(slug: $0) }
        case "registration":
            self.authorId.flatMap { author in
                self.text.flatMap(RegistrationStatus.init(rawValue:)).map { .registrationChanged(authorId: author, status: $0) }
            }
        default: nil
        }
    }

    package func encoded() -> String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    package static func decode(_ payload: String) -> BusMessage? {
        try? JSONDecoder().decode(BusMessage.self, from: Data(payload.utf8))
    }
}
