package import Sockets
import WebSocket
package import WebSocketDeflate

/// One message framed once for many recipients: the plain frame, and the compressed frame when
/// compression paid off, for sessions that agreed to permessage-deflate with a window of at least
/// `compressedWindowBits` (RFC 7692 §7.1.2.1). Share it across loops freely.
package struct PreparedMessage: Sendable {
    /// The window a frame compressed once for many is made with: only sessions that agreed to at
    /// least this window can inflate it.
    package static let sharedWindowBits = 15

    package let plain: ByteChunk
    package let compressed: ByteChunk?
    package let compressedWindowBits: Int

    package init(plain: ByteChunk, compressed: ByteChunk?, compressedWindowBits: Int) {
        self.plain = plain
        self.compressed = compressed
        self.compressedWindowBits = compressedWindowBits
    }

    /// The frame for a session with this agreement (nil: deflate not agreed).
    package func frame(for agreement: PerMessageDeflateAgreement?) -> ByteChunk {
        guard let compressed, let agreement, agreement.compressionWindowBits >= self.compressedWindowBits else {
            return self.plain
        }
        return compressed
    }
}
