import CZlib
public import WebSocket

/// Inflates the compressed messages of one connection (RFC 7692 §7.2.2): raw DEFLATE with the
/// agreed window, the `00 00 ff ff` tail appended after the last piece, the context kept between
/// messages unless the client agreed to `client_no_context_takeover` (§7.1.1.2).
///
/// Output never grows past the limit plus one byte: a decompression bomb fails with 1009 after at
/// most `limit` bytes of work. Corrupt DEFLATE data fails with 1007 (the payload is not what
/// the message type says). The zlib stream is made on the first compressed message, so a
/// connection that never sends one costs nothing.
public final class DeflateInflater: WebSocketInflater {
    /// The LZ77 window, 9…15 (an agreed 8 is inflated with 9, which accepts every 8-bit stream).
    public let windowBits: Int
    public let noContextTakeover: Bool
    private var stream: ZStream?
    /// A block with BFINAL set ended the DEFLATE stream (§7.2.3.4): the rest of the message is ignored.
    private var streamEnded = false

    public init(windowBits: Int = 15, noContextTakeover: Bool = false) {
        self.windowBits = min(15, max(9, windowBits))
        self.noContextTakeover = noContextTakeover
    }

    /// The inflater for the client-to-server direction of an agreement.
    public convenience init(agreement: PerMessageDeflateAgreement) {
        self.init(windowBits: agreement.decompressionWindowBits, noContextTakeover: agreement.clientNoContextTakeover)
    }

    deinit {
        if let stream = self.stream {
            inflateEnd(stream.pointer)
            stream.deallocate()
        }
    }

    public func inflate(
        _ payload: UnsafeRawBufferPointer, isFinal: Bool, limit: Int, into output: inout [UInt8]
    ) throws(WebSocketFailure) {
        let stream = try self.openStream()
        defer { stream.clearBuffers() }
        if !self.streamEnded {
            try self.run(stream, payload, limit: limit, into: &output)
        }
        guard isFinal else { return }
        if !self.streamEnded {
            let failure = deflateTail.withUnsafeBytes { tail -> WebSocketFailure? in
                do throws(WebSocketFailure) {
                    try self.run(stream, tail, limit: limit, into: &output)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
        }
        self.endMessage(stream)
    }

    private func openStream() throws(WebSocketFailure) -> ZStream {
        if let stream = self.stream { return stream }
        let stream = ZStream()
        guard czlib_inflateInit2(stream.pointer, -Int32(self.windowBits)) == Z_OK else {
            stream.deallocate()
            throw WebSocketFailure(.internalError, "inflate could not start")
        }
        self.stream = stream
        return stream
    }

    /// Inflates all of `input` through a 16 KiB scratch buffer, appending to `output` as it goes.
    private func run(
        _ stream: ZStream, _ input: UnsafeRawBufferPointer, limit: Int, into output: inout [UInt8]
    ) throws(WebSocketFailure) {
        stream.setInput(input)
        try withUnsafeTemporaryAllocation(byteCount: Self.stepBytes, alignment: 16) { (scratch) throws(WebSocketFailure) in
            while true {
                // One byte past the limit is room enough to tell that the message is too big.
                let room = min(limit - output.count + 1, scratch.count)
                guard room > 0 else { throw Self.tooBig(limit) }
                stream.setOutput(UnsafeMutableRawBufferPointer(rebasing: scratch[..<room]))
                let code = CZlib.inflate(stream.pointer, Z_SYNC_FLUSH)
                let unused = stream.availableOutput
                output.append(
                    contentsOf: UnsafeBufferPointer(
                        start: scratch.baseAddress?.assumingMemoryBound(to: UInt8.self), count: room - unused))
                guard output.count <= limit else { throw Self.tooBig(limit) }
                switch code {
                case Z_OK:
                    if stream.availableInput == 0 && unused > 0 { return }
                case Z_BUF_ERROR:
                    return  // no progress possible: all input used, nothing pending
                case Z_STREAM_END:
                    self.streamEnded = true
                    return
                case Z_MEM_ERROR:
                    throw WebSocketFailure(.internalError, "inflate out of memory")
                default:
                    throw WebSocketFailure(.invalidPayload, "invalid compressed data")
                }
            }
        }
    }

    static let stepBytes = 16 << 10

    /// Resets between messages when the client does not take over context (§7.1.1.2). After a
    /// BFINAL block the stream must restart; with context takeover its window carries over.
    private func endMessage(_ stream: ZStream) {
        if self.streamEnded {
            self.streamEnded = false
            guard !self.noContextTakeover else {
                inflateReset(stream.pointer)
                return
            }
            var window = [UInt8](repeating: 0, count: 1 << self.windowBits)
            var length: uInt = 0
            inflateGetDictionary(stream.pointer, &window, &length)
            inflateReset(stream.pointer)
            inflateSetDictionary(stream.pointer, window, length)
        } else if self.noContextTakeover {
            inflateReset(stream.pointer)
        }
    }

    private static func tooBig(_ limit: Int) -> WebSocketFailure {
        WebSocketFailure(.messageTooBig, "inflated message longer than \(limit) bytes")
    }
}

@available(*, unavailable)
extension DeflateInflater: Sendable {}
