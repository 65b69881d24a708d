import Foundation
import Webinar

/// One NOTIFY payload between nodes: short keys, since PostgreSQL caps a payload below 8000 bytes.
/// Comments travel as a wake-up only (`k: "comments"`, up to id `n`); the receiver reads them from
/// the store, so a payload never carries a comment's text.
struct BusMessage: Codable, Equatable {
    /// The sending node; a node ignores its own.
    var o: String
    /// Kind: `comments`, `presence`, or a room message (`hidden`, `pinned`, `unpinned`, `likes`,
    /// `approved`, `muted`, `slowmode`, `event`, `registration`).
    var k: String
    var e: Int64 = 0
    /// A comment id: the wake-up's upper id, or the comment a room message is about.
    var c: Int64? = nil
    var n: Int64? = nil
    var a: String? = nil
    var s: Int? = nil
    var g: String? = nil
    /// Presence: this node's members per event id.
    var v: [String: Int]? = nil

    init(o: String, k: String, e: Int64 = 0) {
        self.o = o
        self.k = k
        self.e = e
    }

    init(origin: String, eventId: Int64, message: RoomMessage) {
        self.init(o: origin, k: "", e: eventId)
        switch message {
        case .hidden(let id): (self.k, self.c) = ("hidden", id)
        case .pinned(let id): (self.k, self.c) = ("pinned", id)
        case .unpinned(let id): (self.k, self.c) = ("unpinned", id)
        case .likes(let id, let likes): (self.k, self.c, self.s) = ("likes", id, likes)
        case .approved(let heldId, let id): (self.k, self.c, self.n) = ("approved", heldId, id)
        case .muted(let authorId, let seconds): (self.k, self.a, self.s) = ("muted", authorId, seconds)
        case .slowMode(let seconds, let slug): (self.k, self.s, self.g) = ("slowmode", seconds, slug)
        case .eventChanged(let slug): (self.k, self.g) = ("event", slug)
        case .registrationChanged(let authorId, let status): (self.k, self.a, self.g) = ("registration", authorId, status.rawValue)
        }
    }

    /// The room message this payload carries, nil for other kinds or a malformed one.
    var roomMessage: RoomMessage? {
        switch self.k {
        case "hidden": self.c.map { .hidden(commentId: $0) }
        case "pinned": self.c.map { .pinned(commentId: $0) }
        case "unpinned": self.c.map { .unpinned(commentId: $0) }
        case "likes": self.c.flatMap { id in self.s.map { .likes(commentId: id, likes: $0) } }
        case "approved": self.c.flatMap { held in self.n.map { .approved(heldId: held, id: $0) } }
        case "muted": self.a.flatMap { author in self.s.map { .muted(authorId: author, seconds: $0) } }
        case "slowmode": self.s.flatMap { seconds in self.g.map { .slowMode(seconds: seconds, slug: $0) } }
        case "event": self.g.map { .eventChanged(slug: $0) }
        case "registration":
            self.a.flatMap { author in
                self.g.flatMap(RegistrationStatus.init(rawValue:)).map { .registrationChanged(authorId: author, status: $0) }
            }
        default: nil
        }
    }

    func encoded() -> String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    static func decode(_ payload: String) -> BusMessage? {
        try? JSONDecoder().decode(BusMessage.self, from: Data(payload.utf8))
    }
}
