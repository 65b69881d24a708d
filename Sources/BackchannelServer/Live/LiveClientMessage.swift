import Foundation
import Webinar

/// A client message (contract: Client to server), parsed and checked for shape.
enum LiveClientMessage {
    case join(ticket: String?, hostKey: String?, since: Int64?)
    case comment(text: String, replyTo: Int64?, nonce: String, kind: CommentKind)
    case like(commentId: Int64)
    /// hide, pin, unpin, approve; a hide may say why (for the moderation log).
    case moderate(action: String, commentId: Int64, reason: String?)
    /// `answering`, `answered`, `dismiss`: a host sets a question's state.
    case questionState(QuestionState, commentId: Int64)
    case mute(authorId: String, seconds: Int)
    case slowMode(seconds: Int)
    /// An application-level ping: a page that hears nothing for a while asks, and treats no `pong`
    /// as a lost connection (a dead network often closes nothing).
    case ping

    struct Invalid: Error {
        let message: String
        var nonce: String? = nil
    }

    static func parse(_ bytes: [UInt8]) throws(Invalid) -> LiveClientMessage {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            throw Invalid(message: "Each message must be one JSON object.")
        }
        guard let type = object["type"] as? String else { throw Invalid(message: "The message has no \"type\".") }
        func string(_ key: String) -> String? { object[key] as? String }
        func id(_ key: String) -> Int64? {
            guard let number = object[key] as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
            return Int64(exactly: number.doubleValue)
        }
        switch type {
        case "join":
            if object["since"] != nil && !(object["since"] is NSNull) && id("since") == nil {
                throw Invalid(message: "\"since\" must be a comment id.")
            }
            return .join(ticket: string("ticket"), hostKey: string("hostKey"), since: id("since"))
        case "comment":
            guard let nonce = string("nonce"), !nonce.isEmpty, nonce.utf8.count <= 128 else {
                throw Invalid(message: "A comment needs a \"nonce\" string (up to 128 bytes).")
            }
            guard let text = string("text") else { throw Invalid(message: "A comment needs \"text\".", nonce: nonce) }
            if object["replyTo"] != nil && !(object["replyTo"] is NSNull) && id("replyTo") == nil {
                throw Invalid(message: "\"replyTo\" must be a comment id.", nonce: nonce)
            }
            var kind = CommentKind.comment
            if let raw = object["kind"], !(raw is NSNull) {
                guard let name = raw as? String, let parsed = CommentKind(rawValue: name) else {
                    throw Invalid(message: "\"kind\" must be \"comment\" or \"question\".", nonce: nonce)
                }
                kind = parsed
            }
            return .comment(text: text, replyTo: id("replyTo"), nonce: nonce, kind: kind)
        case "like":
            guard let commentId = id("commentId") else { throw Invalid(message: "\"like\" needs a \"commentId\".") }
            return .like(commentId: commentId)
        case "hide", "pin", "unpin", "approve":
            guard let commentId = id("commentId") else { throw Invalid(message: "\"\(type)\" needs a \"commentId\".") }
            var reason: String?
            if type == "hide", let raw = object["reason"], !(raw is NSNull) {
                guard let text = raw as? String else { throw Invalid(message: "\"reason\" must be a string.") }
                do { reason = try Validation.hideReason(text) } catch { throw Invalid(message: error.message) }
            }
            return .moderate(action: type, commentId: commentId, reason: reason)
        case "answering", "answered", "dismiss":
            guard let commentId = id("commentId") else { throw Invalid(message: "\"\(type)\" needs a \"commentId\".") }
            let state: QuestionState = type == "dismiss" ? .dismissed : (type == "answering" ? .answering : .answered)
            return .questionState(state, commentId: commentId)
        case "mute":
            guard let authorId = string("authorId"), !authorId.isEmpty, authorId.utf8.count <= 128,
                let seconds = id("seconds"), (1...86_400).contains(seconds)
            else {
                throw Invalid(message: "\"mute\" needs an \"authorId\" (up to 128 bytes) and \"seconds\" from 1 to 86400.")
            }
            return .mute(authorId: authorId, seconds: Int(seconds))
        case "slowmode":
            guard let seconds = id("seconds"), (0...3600).contains(seconds) else {
                throw Invalid(message: "\"slowmode\" needs \"seconds\" from 0 (off) to 3600.")
            }
            return .slowMode(seconds: Int(seconds))
        case "ping":
            return .ping
        default:
            throw Invalid(message: "Unknown message type \"\(type)\".")
        }
    }
}
