import Foundation
import Sockets
import WebSocket
package import Webinar

/// The server's WebSocket messages (contract: Server to client), each encoded once into a frame.
package struct LiveMessages: Sendable {
    /// Compresses room messages once for every member that agreed to permessage-deflate.
    package let compressors: MessageCompressors?

    package init(compressors: MessageCompressors?) {
        self.compressors = compressors
    }

    /// The frame, and its compressed twin when deflate is on and pays for this message.
    package func frame(_ json: [UInt8], commentId: Int64? = nil, heldId: Int64? = nil, audience: LiveFrame.Audience = .everyone)
        -> LiveFrame
    {
        LiveFrame(
            frame: ByteChunk(WebSocketFrameEncoder.frame(.text, payload: json)),
            compressed: self.compressors?.compressedFrame(.text, payload: json, windowBits: 15),
            commentId: commentId, heldId: heldId, audience: audience)
    }

    /// A committed comment as its room sees it: `held` for the hosts while it waits for review.
    package func frame(for comment: Comment) -> LiveFrame {
        comment.status == .held ? self.held(comment) : self.comment(comment)
    }

    /// `{"type":"comment", ...Comment}`.
    package func comment(_ comment: Comment) -> LiveFrame {
        self.frame(JSONBody.encode(Typed(type: "comment", body: CommentBody(comment: comment, forHost: false))), commentId: comment.id)
    }

    /// `{"type":"held","comment":Comment}` for hosts.
    package func held(_ comment: Comment) -> LiveFrame {
        struct Held: Encodable {
            let type = "held"
            let comment: CommentBody
        }
        return self.frame(
            JSONBody.encode(Held(comment: CommentBody(comment: comment, forHost: true))), heldId: comment.id, audience: .hosts)
    }

    package func approved(heldId: Int64, id: Int64) -> LiveFrame {
        struct Approved: Encodable {
            let type = "approved"
            let commentId: Int64
            let id: Int64
        }
        return self.frame(JSONBody.encode(Approved(commentId: heldId, id: id)), audience: .hosts)
    }

    package func likes(commentId: Int64, likes: Int) -> LiveFrame {
        struct Likes: Encodable {
            let type = "likes"
            let commentId: Int64
            let likes: Int
        }
        return self.frame(JSONBody.encode(Likes(commentId: commentId, likes: likes)))
    }

    /// `{"type":"question","commentId":id,"state":s}`: a host set a question's state.
    package func questionState(commentId: Int64, state: QuestionState) -> LiveFrame {
        struct Question: Encodable {
            let type = "question"
            let commentId: Int64
            let state: String
        }
        return self.frame(JSONBody.encode(Question(commentId: commentId, state: state.rawValue)))
    }

    /// `hidden`, `pinned`, `unpinned`.
    package func commentState(_ type: String, commentId: Int64) -> LiveFrame {
        struct State: Encodable {
            let type: String
            let commentId: Int64
        }
        return self.frame(JSONBody.encode(State(type: type, commentId: commentId)))
    }

    package func presence(viewers: Int) -> LiveFrame {
        struct Presence: Encodable {
            let type = "presence"
            let viewers: Int
        }
        return self.frame(JSONBody.encode(Presence(viewers: viewers)))
    }

    package func slowMode(seconds: Int) -> LiveFrame {
        struct SlowMode: Encodable {
            let type = "slowmode"
            let seconds: Int
        }
        return self.frame(JSONBody.encode(SlowMode(seconds: seconds)))
    }

    package func muted(authorId: String, seconds: Int) -> LiveFrame {
        struct Muted: Encodable {
            let type = "muted"
            let authorId: String
            let seconds: Int
        }
        return self.frame(JSONBody.encode(Muted(authorId: authorId, seconds: seconds)), audience: .hosts)
    }

    /// `{"type":"role","role":r,"reason":status}`: this connection's role changed (a ticket cancelled
    /// or promoted) without a new join.
    package static func role(role: String, reason: String) -> [UInt8] {
        struct RoleMessage: Encodable {
            let type = "role"
            let role: String
            let reason: String
        }
        return JSONBody.encode(RoleMessage(role: role, reason: reason))
    }

    package static func ack(nonce: String, id: Int64, held: Bool) -> [UInt8] {
        struct Ack: Encodable {
            let type = "ack"
            let nonce: String
            let id: Int64
            let held: Bool?
        }
        return JSONBody.encode(Ack(nonce: nonce, id: id, held: held ? true : nil))
    }

    package static func error(code: String, message: String, nonce: String? = nil, retryAfter: Int? = nil) -> [UInt8] {
        struct ErrorMessage: Encodable {
            let type = "error"
            let code: String
            let message: String
            let nonce: String?
            let retryAfter: Int?
        }
        return JSONBody.encode(ErrorMessage(code: code, message: message, nonce: nonce, retryAfter: retryAfter))
    }
}

/// Encodes `{"type": T, ...body}`: the type first, then the body's own fields.
package struct Typed<Body: Encodable>: Encodable {
    let type: String
    let body: Body
    enum Keys: String, CodingKey { case type }
    package init(type: String, body: Body) {
        self.type = type
        self.body = body
    }
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(self.type, forKey: .type)
        try self.body.encode(to: encoder)
    }
}
