/// Joins the data frames of one message (RFC 6455 §5.4) as their payload arrives, enforcing the
/// limits before anything is buffered and validating text as it goes (RFC 6455 §8.1).
///
/// Holds no buffer between messages. A compressed message (RSV1 on its first frame, RFC 7692 §6) is
/// handed piece by piece to the inflater, so only inflated bytes are kept.
struct WebSocketMessageAssembler {
    let limits: WebSocketLimits
    let inflater: (any WebSocketInflater)?

    /// `.text` or `.binary` while a message is in progress.
    private(set) var opcode: WebSocketOpcode?
    private(set) var isCompressed = false
    private var bytes: [UInt8] = []
    private var wireBytes = 0
    private var fragments = 0
    private var utf8 = UTF8Validator()

    init(limits: WebSocketLimits, inflater: (any WebSocketInflater)?) {
        self.limits = limits
        self.inflater = inflater
    }

    var isInProgress: Bool { self.opcode != nil }

    /// Checks that a data frame with this opcode may come now: a continuation only inside a
    /// message, a text or binary frame only outside one (RFC 6455 §5.4).
    func checkSequence(_ opcode: WebSocketOpcode) throws(WebSocketFailure) {
        if opcode == .continuation {
            guard self.isInProgress else { throw .protocolError("continuation frame without a message to continue") }
        } else {
            guard !self.isInProgress else { throw .protocolError("new data frame before the last message ended") }
        }
    }

    /// A data frame's header is complete: starts or continues the message and enforces the limits
    /// on the length the header announces, before any of its payload is buffered.
    mutating func begin(_ header: WebSocketFrameHeader) throws(WebSocketFailure) {
        try self.checkSequence(header.opcode)
        let isFirst = header.opcode != .continuation
        if isFirst {
            self.opcode = header.opcode
            self.isCompressed = header.rsv1 && self.inflater != nil
            self.wireBytes = 0
            self.fragments = 0
            self.utf8.reset()
        }
        self.fragments += 1
        guard self.fragments <= self.limits.maxFragments else {
            throw .messageTooBig("message has more than \(self.limits.maxFragments) fragments")
        }
        let length = header.payloadLength
        guard length <= self.wireLimit - self.wireBytes else {
            throw .messageTooBig("message longer than \(self.limits.maxMessageBytes) bytes")
        }
        self.wireBytes += length
        if isFirst, !self.isCompressed, length > 0 {
            self.bytes.reserveCapacity(length)
        }
    }

    /// Compressed bytes may exceed the inflated limit slightly (stored deflate blocks add 5 bytes per
    /// 64 KiB), so they get 1/64 plus 64 bytes of slack; the inflater bounds the inflated size.
    private var wireLimit: Int {
        let limit = self.limits.maxMessageBytes
        guard self.isCompressed else { return limit }
        let slack = limit / 64 + 64
        return limit > Int.max - slack ? Int.max : limit + slack
    }

    /// Adds the next unmasked piece of payload. `isFinal` marks the message's last piece.
    mutating func append(_ piece: UnsafeRawBufferPointer, isFinal: Bool) throws(WebSocketFailure) {
        if self.isCompressed, let inflater = self.inflater {
            let start = self.bytes.count
            try inflater.inflate(piece, isFinal: isFinal, limit: self.limits.maxMessageBytes, into: &self.bytes)
            guard self.bytes.count <= self.limits.maxMessageBytes else {
                throw .messageTooBig("inflated message longer than \(self.limits.maxMessageBytes) bytes")
            }
            if self.opcode == .text {
                var utf8 = self.utf8
                let valid = self.bytes.withUnsafeBytes { utf8.validate(UnsafeRawBufferPointer(rebasing: $0[start...])) }
                self.utf8 = utf8
                guard valid else { throw .invalidPayload("text message is not valid UTF-8") }
            }
        } else {
            if self.opcode == .text, !self.utf8.validate(piece) {
                throw .invalidPayload("text message is not valid UTF-8")
            }
            self.bytes.append(contentsOf: piece)
        }
    }

    /// The last frame ended: hands over the message and releases every buffer.
    mutating func finish() throws(WebSocketFailure) -> WebSocketMessage {
        let isText = self.opcode == .text
        let complete = self.utf8.isAtCharacterBoundary
        let bytes = self.bytes
        self.reset()
        if isText {
            guard complete else { throw .invalidPayload("text message ends inside a UTF-8 sequence") }
            return .text(bytes)
        }
        return .binary(bytes)
    }

    mutating func reset() {
        self.opcode = nil
        self.isCompressed = false
        self.bytes = []
        self.wireBytes = 0
        self.fragments = 0
        self.utf8.reset()
    }
}
