import LiveHub
import Sockets
import WebSocket
import WebSocketDeflate

/// Sending with permessage-deflate (RFC 7692): frames go compressed (RSV1) to sessions that agreed
/// and stay plain for the rest.
extension WebSocketSession {
    /// One message framed for this session: compressed when agreed, at or above the threshold and
    /// smaller that way, else plain. Runs zlib on the calling (loop) thread.
    func frame(_ opcode: WebSocketOpcode, payload: [UInt8]) -> ByteChunk {
        if let deflate = self.deflate, let compressors = self.compressors,
            let frame = compressors.compressedFrame(
                opcode, payload: payload, windowBits: deflate.compressionWindowBits)
        {
            return frame
        }
        return ByteChunk(WebSocketFrameEncoder.frame(opcode, payload: payload))
    }

    /// Frames a message once for many sessions (a broadcast): plain and compressed. Callable from
    /// any thread; on a loop thread it uses that loop's compressor without locking.
    func prepare(_ opcode: WebSocketOpcode = .text, payload: [UInt8]) -> PreparedMessage {
        if let compressors = self.compressors { return compressors.prepare(opcode, payload: payload) }
        return PreparedMessage(
            plain: ByteChunk(WebSocketFrameEncoder.frame(opcode, payload: payload)), compressed: nil,
            compressedWindowBits: PreparedMessage.sharedWindowBits)
    }

    /// Whether frames compressed once for many (``PreparedMessage``) suit this session: it agreed to
    /// permessage-deflate with a window at least as large as theirs.
    var takesSharedCompressedFrame: Bool {
        (self.deflate?.compressionWindowBits ?? 0) >= PreparedMessage.sharedWindowBits
    }

    /// Queues the prepared frame that suits this session (compressed if agreed), like `send(frame:)`.
    @discardableResult
    func send(_ message: PreparedMessage) -> Bool {
        self.send(frame: message.frame(for: self.deflate))
    }
}
