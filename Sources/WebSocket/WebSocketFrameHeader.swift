/// A parsed frame header (RFC 6455 §5.2): 2 bytes, then a 16- or 64-bit extended length, then the
/// masking key when the mask bit is set. Parsing checks nothing; `WebSocketReader` decides what is
/// legal, so the checks sit in one place.
struct WebSocketFrameHeader: Hashable, Sendable {
    var fin: Bool
    var rsv1: Bool
    var rsv2: Bool
    var rsv3: Bool
    var opcode: WebSocketOpcode
    var maskingKey: WebSocketMaskingKey?
    /// The length as sent; the reader refuses it when the most significant bit is set (§5.2).
    var rawPayloadLength: UInt64

    var payloadLength: Int { Int(truncatingIfNeeded: self.rawPayloadLength) }

    /// Header bytes implied by the second byte: 2, plus 2 or 8 of extended length, plus 4 of key.
    static func size(secondByte: UInt8) -> Int {
        let extended =
            switch secondByte & 0x7F {
            case 126: 2
            case 127: 8
            default: 0
            }
        return 2 + extended + (secondByte & 0x80 != 0 ? 4 : 0)
    }

    /// Parses a complete header; `bytes.count` must be `size(secondByte: bytes[1])`.
    init(_ bytes: UnsafeRawBufferPointer) {
        let first = bytes[0]
        let second = bytes[1]
        self.fin = first & 0x80 != 0
        self.rsv1 = first & 0x40 != 0
        self.rsv2 = first & 0x20 != 0
        self.rsv3 = first & 0x10 != 0
        self.opcode = WebSocketOpcode(rawValue: first & 0x0F)
        var offset = 2
        switch second & 0x7F {
        case 126:
            self.rawPayloadLength = UInt64(bytes[2]) << 8 | UInt64(bytes[3])
            offset = 4
        case 127:
            var length: UInt64 = 0
            for index in 2..<10 { length = length << 8 | UInt64(bytes[index]) }
            self.rawPayloadLength = length
            offset = 10
        case let length:
            self.rawPayloadLength = UInt64(length)
        }
        if second & 0x80 != 0 {
            self.maskingKey = WebSocketMaskingKey(
                bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3])
        } else {
            self.maskingKey = nil
        }
    }
}
