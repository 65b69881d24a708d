/// Builds frames (RFC 6455 §5.2) with the minimal length encoding §5.2 requires. Server frames are
/// unmasked (§5.1); `maskedFrame` exists for test clients.
public enum WebSocketFrameEncoder {
    /// Header bytes of an unmasked frame: 2, 4 (16-bit length) or 10 (64-bit length).
    public static func headerSize(payloadLength: Int) -> Int {
        switch payloadLength {
        case ...125: 2
        case ...0xFFFF: 4
        default: 10
        }
    }

    /// Writes an unmasked frame header at the start of `buffer` and returns its size. `buffer` must
    /// hold `headerSize(payloadLength:)` bytes, so a caller can put the header in front of a payload.
    @discardableResult
    public static func writeHeader(
        into buffer: UnsafeMutableRawBufferPointer, opcode: WebSocketOpcode, fin: Bool = true, rsv1: Bool = false,
        payloadLength: Int
    ) -> Int {
        self.writeHeader(
            into: buffer, opcode: opcode, fin: fin, rsv1: rsv1, payloadLength: payloadLength, masked: false)
    }

    static func writeHeader(
        into buffer: UnsafeMutableRawBufferPointer, opcode: WebSocketOpcode, fin: Bool, rsv1: Bool,
        payloadLength: Int, masked: Bool
    ) -> Int {
        precondition(payloadLength >= 0, "negative payload length")
        let size = self.headerSize(payloadLength: payloadLength)
        precondition(buffer.count >= size, "buffer too small for the frame header")
        buffer[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode.rawValue
        let maskBit: UInt8 = masked ? 0x80 : 0
        switch size {
        case 2:
            buffer[1] = maskBit | UInt8(payloadLength)
        case 4:
            buffer[1] = maskBit | 126
            buffer[2] = UInt8(truncatingIfNeeded: payloadLength >> 8)
            buffer[3] = UInt8(truncatingIfNeeded: payloadLength)
        default:
            buffer[1] = maskBit | 127
            let length = UInt64(payloadLength)
            for index in 0..<8 {
                buffer[2 + index] = UInt8(truncatingIfNeeded: length >> (56 - 8 * UInt64(index)))
            }
        }
        return size
    }

    /// A complete server-to-client frame (unmasked).
    public static func frame(
        _ opcode: WebSocketOpcode, payload: some Collection<UInt8>, fin: Bool = true, rsv1: Bool = false
    ) -> [UInt8] {
        let count = payload.count
        let headerSize = self.headerSize(payloadLength: count)
        return [UInt8](unsafeUninitializedCapacity: headerSize + count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            _ = self.writeHeader(into: raw, opcode: opcode, fin: fin, rsv1: rsv1, payloadLength: count, masked: false)
            _ = UnsafeMutableBufferPointer(rebasing: buffer[headerSize...]).initialize(fromContentsOf: payload)
            initialized = headerSize + count
        }
    }

    /// A close frame (RFC 6455 §5.5.1): the code, then the reason cut to fit the 125-byte control
    /// payload limit at a UTF-8 character boundary, so the peer never sees a broken reason (§7.1.6).
    public static func closeFrame(code: WebSocketCloseCode, reason: String = "") -> [UInt8] {
        self.frame(.close, payload: self.closePayload(code: code, reason: reason))
    }

    /// The payload of a close frame: code in network order and the truncated reason.
    public static func closePayload(code: WebSocketCloseCode, reason: String = "") -> [UInt8] {
        var payload: [UInt8] = [UInt8(code.rawValue >> 8), UInt8(truncatingIfNeeded: code.rawValue)]
        let utf8 = Array(reason.utf8)
        var cut = min(utf8.count, 123)
        // Back off over continuation bytes (10xxxxxx) so the cut falls before a lead byte.
        while cut < utf8.count, cut > 0, utf8[cut] & 0xC0 == 0x80 { cut -= 1 }
        payload.append(contentsOf: utf8[..<cut])
        return payload
    }

    /// A complete client-to-server frame, masked with `maskKey` (RFC 6455 §5.3).
    public static func maskedFrame(
        _ opcode: WebSocketOpcode, payload: some Collection<UInt8>, fin: Bool = true, rsv1: Bool = false,
        maskKey: (UInt8, UInt8, UInt8, UInt8)
    ) -> [UInt8] {
        let count = payload.count
        let headerSize = self.headerSize(payloadLength: count) + 4
        let key = WebSocketMaskingKey(maskKey)
        return [UInt8](unsafeUninitializedCapacity: headerSize + count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            let size = self.writeHeader(
                into: raw, opcode: opcode, fin: fin, rsv1: rsv1, payloadLength: count, masked: true)
            for index in 0..<4 { raw[size + index] = key[index] }
            _ = UnsafeMutableBufferPointer(rebasing: buffer[headerSize...]).initialize(fromContentsOf: payload)
            key.apply(to: UnsafeMutableRawBufferPointer(rebasing: raw[headerSize...]), phase: 0)
            initialized = headerSize + count
        }
    }
}
