import Foundation
import Sockets
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The server messages a rehearsal client reads (contract: WebSocket, server to client). Fields a
/// message type does not have stay nil; unknown fields are ignored.
struct RehearseIncoming: Decodable {
    var type: String
    var id: Int64?
    var text: String?
    var commentId: Int64?
    var nonce: String?
    var held: Bool?
    var code: String?
    var message: String?
}

extension RehearseClient {
    /// Handles one text message. On `loop`.
    func handleMessage(_ bytes: [UInt8]) {
        if let (id, text) = Self.quickComment(bytes) {
            self.receivedComment(id: id, text: text)
            return
        }
        guard let message = try? self.decoder.decode(RehearseIncoming.self, from: Data(bytes)) else {
            self.recordError("unreadable_message", String(decoding: bytes.prefix(200), as: UTF8.self))
            return
        }
        switch message.type {
        case "comment":
            guard let id = message.id else { return }
            self.receivedComment(id: id, text: message.text)
        case "welcome":
            guard self.record.joinedAt == 0 else { return }
            self.updateRecord { $0.joinedAt = rehearseNow() }
            self.isJoined.store(true, ordering: .relaxed)
            self.ledger.joined.add(1, ordering: .relaxed)
            self.clearJoinDeadline()
        case "ack":
            guard let nonce = message.nonce, let seq = self.ledger.seq(inNonce: nonce), let id = message.id else { return }
            self.ledger.markAcked(seq: seq, id: id, held: message.held ?? false)
        case "hidden":
            guard let id = message.commentId else { return }
            self.updateRecord { $0.hidden.append((id, $0.commentIds.count)) }
            self.ledger.notices.add(1, ordering: .relaxed)
        case "pinned":
            guard let id = message.commentId else { return }
            self.updateRecord { $0.pinned.append(id) }
            self.ledger.notices.add(1, ordering: .relaxed)
        case "error":
            let code = message.code ?? "unknown"
            self.recordError(code, message.message ?? "")
            if let nonce = message.nonce, let seq = self.ledger.seq(inNonce: nonce) {
                self.ledger.markRejected(seq: seq, code: code)
            }
        default:
            return  // presence, likes, unpinned, slowmode, held, approved, muted
        }
    }

    private func receivedComment(id: Int64, text: String?) {
        self.updateRecord { $0.commentIds.append(id) }
        if let text, let seq = self.ledger.seq(inText: text) {
            self.ledger.delivered(seq: seq, loopIndex: self.loop.index)
        }
    }

    /// The id and text of a `comment` message without a full JSON decode (the hot path: every
    /// client reads every comment). Inside a JSON string every quote is escaped, so `"id":` and
    /// `"text":"` only match keys; a text with escapes is returned as nil (it is not ours).
    /// Nil when the message is not a comment or looks unusual: the caller decodes it properly.
    static func quickComment(_ bytes: [UInt8]) -> (Int64, String?)? {
        bytes.withUnsafeBytes { raw -> (Int64, String?)? in
            guard Self.find(raw, #""type":"comment""#) != nil, let idKey = Self.find(raw, #""id":"#) else { return nil }
            var index = idKey + 5
            var id: Int64 = 0
            var digits = 0
            while index < raw.count, raw[index] >= 0x30, raw[index] <= 0x39, digits < 18 {
                id = id * 10 + Int64(raw[index] - 0x30)
                index += 1
                digits += 1
            }
            guard digits > 0, index < raw.count, raw[index] == 0x2C || raw[index] == 0x7D else { return nil }
            guard let textKey = Self.find(raw, #""text":""#) else { return (id, nil) }
            let start = textKey + 8
            var end = start
            while end < raw.count, raw[end] != 0x22 {
                if raw[end] == 0x5C { return (id, nil) }
                end += 1
            }
            return (id, String(decoding: raw[start..<end], as: UTF8.self))
        }
    }

    /// The offset of `needle` in `haystack`: `memchr` for its first byte, then a compare.
    private static func find(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString) -> Int? {
        guard let base = haystack.baseAddress else { return nil }
        let length = needle.utf8CodeUnitCount
        var offset = 0
        while offset + length <= haystack.count {
            guard let hit = memchr(base + offset, Int32(needle.utf8Start.pointee), haystack.count - offset - length + 1) else {
                return nil
            }
            let position = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + position, needle.utf8Start, length) == 0 { return position }
            offset = position + 1
        }
        return nil
    }

    private func recordError(_ code: String, _ text: String) {
        self.ledger.errors.add(1, ordering: .relaxed)
        self.updateRecord { record in
            record.errors[code, default: 0] += 1
            if record.errorMessages[code] == nil { record.errorMessages[code] = text }
        }
    }
}
