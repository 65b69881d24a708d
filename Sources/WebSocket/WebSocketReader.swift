/// Frame parser and message assembler (RFC 6455 §5): bytes in, events out, no I/O, so it can be
/// fed any split of the stream and fuzzed.
///
/// Enforces every MUST of RFC 6455 that a receiver can check, failing with the close code to send
/// (§7.1.7): reserved bits without a negotiated extension, reserved opcodes, fragmented or oversized
/// (>125) control frames, continuation frames out of place, a missing (server) or present (client)
/// mask, 64-bit lengths with the top bit set (all 1002); invalid UTF-8 in text or a close reason
/// (1007, at the first bad byte); close payloads of 1 byte or with codes not allowed on the wire
/// (1002); messages over the limits (1009, as soon as a header announces it).
///
/// Payload is unmasked in place in the caller's buffer. Only an incomplete header (inline, no
/// allocation), an incomplete control frame (≤ 125 bytes) and the message being assembled are kept.
public struct WebSocketReader {
    public let role: WebSocketRole
    public let limits: WebSocketLimits

    private var partialHeader = PartialHeader()
    /// The frame whose header has been read and whose payload is still arriving.
    private var frame: Frame?
    /// Payload of a control frame split across reads, still masked.
    private var control: [UInt8] = []
    private var assembler: WebSocketMessageAssembler
    private var hasInflater: Bool
    public private(set) var isClosed = false

    private struct Frame {
        var header: WebSocketFrameHeader
        var consumed = 0
        var remaining: Int { self.header.payloadLength - self.consumed }
    }

    public init(
        role: WebSocketRole = .server, limits: WebSocketLimits = .init(), inflater: (any WebSocketInflater)? = nil
    ) {
        self.role = role
        self.limits = limits
        self.assembler = WebSocketMessageAssembler(limits: limits, inflater: inflater)
        self.hasInflater = inflater != nil
    }

    /// True when the reader holds no buffers (an idle connection costs nothing): between frames, no
    /// message in progress. Also true once closed, since closing releases everything.
    public var isIdle: Bool {
        self.frame == nil && self.partialHeader.isEmpty && !self.assembler.isInProgress && self.control.isEmpty
    }

    /// Parses every complete frame in `input`, unmasking in place, and calls `onEvent` per complete
    /// message or control frame. Control frames between fragments are delivered at once (§5.4).
    ///
    /// - Parameters:
    ///   - input: bytes just read; modified (unmasked) in place and not retained.
    ///   - onEvent: called in stream order; an error it throws is rethrown.
    /// - Throws: the `WebSocketFailure` the connection must close with. After a close event, a
    ///   failure or an error from `onEvent`, further input is ignored.
    public mutating func read(_ input: UnsafeMutableRawBufferPointer, _ onEvent: (WebSocketEvent) throws -> Void) throws {
        guard !self.isClosed else { return }
        do {
            var offset = 0
            while !self.isClosed {
                if self.frame == nil {
                    guard offset < input.count, let header = try self.readHeader(input, &offset) else { return }
                    try self.begin(header)
                }
                guard try self.readPayload(input, &offset, onEvent) else { return }
            }
        } catch {
            self.close()
            throw error
        }
    }

    /// Releases every buffer and ignores further input.
    public mutating func close() {
        self.isClosed = true
        self.frame = nil
        self.partialHeader.removeAll()
        self.control = []
        self.assembler.reset()
    }

    // MARK: - Header

    /// Reads a header from `input`, or keeps its first bytes and returns nil when incomplete.
    private mutating func readHeader(
        _ input: UnsafeMutableRawBufferPointer, _ offset: inout Int
    ) throws(WebSocketFailure) -> WebSocketFrameHeader? {
        if self.partialHeader.isEmpty, input.count - offset >= 2 {
            let first = input[offset]
            let second = input[offset + 1]
            try self.checkFirstByte(first)
            try self.checkSecondByte(second, first: first)
            let size = WebSocketFrameHeader.size(secondByte: second)
            if input.count - offset >= size {
                let header = WebSocketFrameHeader(UnsafeRawBufferPointer(rebasing: input[offset..<offset + size]))
                offset += size
                return header
            }
        }
        while offset < input.count {
            let byte = input[offset]
            offset += 1
            self.partialHeader.append(byte)
            if self.partialHeader.count == 1 {
                try self.checkFirstByte(byte)
                continue
            }
            if self.partialHeader.count == 2 {
                try self.checkSecondByte(byte, first: self.partialHeader[0])
            }
            if self.partialHeader.count == WebSocketFrameHeader.size(secondByte: self.partialHeader[1]) {
                let header = self.partialHeader.withBytes { WebSocketFrameHeader($0) }
                self.partialHeader.removeAll()
                return header
            }
        }
        return nil
    }

    /// Bits and opcode (§5.2), fragmentation (§5.4, §5.5) and message order, from the first byte.
    private func checkFirstByte(_ byte: UInt8) throws(WebSocketFailure) {
        let opcode = WebSocketOpcode(rawValue: byte & 0x0F)
        guard !opcode.isReserved else { throw .protocolError("reserved opcode \(opcode.rawValue)") }
        guard byte & 0x30 == 0 else { throw .protocolError("reserved bits RSV2/RSV3 set") }
        if byte & 0x40 != 0 {
            // RSV1 marks a compressed message: only on its first frame, only when negotiated (RFC 7692 §6).
            guard self.hasInflater, opcode == .text || opcode == .binary else {
                throw .protocolError("reserved bit RSV1 set")
            }
        }
        if opcode.isControl {
            guard byte & 0x80 != 0 else { throw .protocolError("fragmented control frame") }
        } else {
            try self.assembler.checkSequence(opcode)
        }
    }

    /// Masking (§5.1) and the control frame length (§5.5), from the second byte.
    private func checkSecondByte(_ byte: UInt8, first: UInt8) throws(WebSocketFailure) {
        let masked = byte & 0x80 != 0
        switch self.role {
        case .server: guard masked else { throw .protocolError("client frame is not masked") }
        case .client: guard !masked else { throw .protocolError("server frame is masked") }
        }
        if first & 0x08 != 0, byte & 0x7F > 125 {
            throw .protocolError("control frame payload longer than 125 bytes")
        }
    }

    /// The whole header is known: length checks (§5.2) and, for data, the message limits.
    private mutating func begin(_ header: WebSocketFrameHeader) throws(WebSocketFailure) {
        guard header.rawPayloadLength >> 63 == 0 else {
            throw .protocolError("64-bit payload length with the most significant bit set")
        }
        if !header.opcode.isControl {
            try self.assembler.begin(header)
        }
        self.frame = Frame(header: header)
    }

    // MARK: - Payload

    /// Consumes the current frame's payload from `input`. Returns true when the frame ended, false
    /// when `input` ran out first.
    private mutating func readPayload(
        _ input: UnsafeMutableRawBufferPointer, _ offset: inout Int, _ onEvent: (WebSocketEvent) throws -> Void
    ) throws -> Bool {
        guard let frame = self.frame else { return true }
        let count = min(frame.remaining, input.count - offset)
        let piece = UnsafeMutableRawBufferPointer(rebasing: input[offset..<offset + count])
        offset += count
        let isLastPiece = count == frame.remaining
        if frame.header.opcode.isControl {
            return try self.readControlPayload(piece, isLastPiece: isLastPiece, onEvent)
        }
        guard count > 0 || isLastPiece else { return false }
        frame.header.maskingKey?.apply(to: piece, phase: frame.consumed)
        self.frame?.consumed += count
        try self.assembler.append(UnsafeRawBufferPointer(piece), isFinal: frame.header.fin && isLastPiece)
        guard isLastPiece else { return false }
        self.frame = nil
        if frame.header.fin {
            let message = try self.assembler.finish()
            try onEvent(.message(message))
        }
        return true
    }

    /// Control payload is handled in place when whole in this read, else kept (≤ 125 bytes) until whole.
    private mutating func readControlPayload(
        _ piece: UnsafeMutableRawBufferPointer, isLastPiece: Bool, _ onEvent: (WebSocketEvent) throws -> Void
    ) throws -> Bool {
        guard let header = self.frame?.header else { return true }
        if self.control.isEmpty, isLastPiece {
            header.maskingKey?.apply(to: piece, phase: 0)
            self.frame = nil
            try self.handleControl(header.opcode, UnsafeRawBufferPointer(piece), onEvent)
            return true
        }
        self.control.append(contentsOf: piece)
        self.frame?.consumed += piece.count
        guard isLastPiece else { return false }
        var payload = self.control
        self.control = []
        self.frame = nil
        try payload.withUnsafeMutableBytes { bytes in
            header.maskingKey?.apply(to: bytes, phase: 0)
            try self.handleControl(header.opcode, UnsafeRawBufferPointer(bytes), onEvent)
        }
        return true
    }

    /// Ping, pong or close (§5.5). A close is checked (§5.5.1, §7.4) and ends the reading.
    private mutating func handleControl(
        _ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer, _ onEvent: (WebSocketEvent) throws -> Void
    ) throws {
        switch opcode {
        case .ping:
            try onEvent(.ping(Array(payload)))
        case .pong:
            try onEvent(.pong(Array(payload)))
        default:
            let (code, reason) = try Self.parseClose(payload)
            self.close()
            try onEvent(.close(code: code, reason: reason))
        }
    }

    /// A close payload is empty, or a 2-byte code valid on the wire and a UTF-8 reason.
    static func parseClose(_ payload: UnsafeRawBufferPointer) throws(WebSocketFailure) -> (UInt16?, String) {
        guard payload.count > 0 else { return (nil, "") }
        guard payload.count >= 2 else { throw .protocolError("close frame with a 1-byte payload") }
        let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
        guard WebSocketCloseCode.isValidOnWire(code) else { throw .protocolError("close code \(code) is not allowed") }
        let reason = UnsafeRawBufferPointer(rebasing: payload[2...])
        var utf8 = UTF8Validator()
        guard utf8.validate(reason), utf8.isAtCharacterBoundary else {
            throw .invalidPayload("close reason is not valid UTF-8")
        }
        return (code, String(decoding: reason, as: UTF8.self))
    }
}

@available(*, unavailable)
extension WebSocketReader: Sendable {}
