package import Sockets
import Synchronization
package import WebSocket
package import WebSocketDeflate

/// The server's zlib compressors for permessage-deflate (RFC 7692 §7.2.1): one set per loop, shared
/// by every connection on it. The server always agrees to `server_no_context_takeover`, so nothing
/// carries over between messages and a compressor is never tied to one connection; a compressed
/// frame made once is valid for every session that agreed to the same or a larger window.
package final class MessageCompressors: Sendable {
    package let configuration: PerMessageDeflate.Configuration
    private let group: EventLoopGroup
    private let perLoop: PerLoop<DeflateCompressors>
    /// For callers off every loop thread (a store thread): one compressor behind a lock.
    private let shared: Mutex<DeflateCompressors>

    package init(group: EventLoopGroup, configuration: PerMessageDeflate.Configuration) {
        self.configuration = configuration
        self.group = group
        self.perLoop = PerLoop(group: group) { _ in DeflateCompressors(configuration: configuration) }
        self.shared = Mutex(DeflateCompressors(configuration: configuration))
    }

    /// A compressed frame (RSV1 on its only frame, RFC 7692 §6) for `payload`, or nil when the
    /// message is below the threshold or compression would not make it smaller.
    package func compressedFrame(_ opcode: WebSocketOpcode, payload: [UInt8], windowBits: Int = 15) -> ByteChunk? {
        guard payload.count >= self.configuration.minimumMessageBytes else { return nil }
        if let loop = self.group.loops.first(where: { $0.inEventLoop }) {
            return self.perLoop.withValue(on: loop) { compressors in
                Self.frame(opcode, payload, compressors.compressor(windowBits: windowBits))
            }
        }
        return self.shared.withLock { compressors in
            Self.frame(opcode, payload, compressors.compressor(windowBits: windowBits))
        }
    }

    /// A message framed once for many sessions: plain, and compressed with the shared window.
    package func prepare(_ opcode: WebSocketOpcode, payload: [UInt8]) -> PreparedMessage {
        PreparedMessage(
            plain: ByteChunk(WebSocketFrameEncoder.frame(opcode, payload: payload)),
            compressed: self.compressedFrame(opcode, payload: payload, windowBits: PreparedMessage.sharedWindowBits),
            compressedWindowBits: PreparedMessage.sharedWindowBits)
    }

    private static func frame(
        _ opcode: WebSocketOpcode, _ payload: [UInt8], _ compressor: DeflateCompressor
    ) -> ByteChunk? {
        payload.withUnsafeBytes { input in
            compressor.withCompressed(input) { compressed -> ByteChunk? in
                guard let compressed, compressed.count < payload.count else { return nil }
                let header = WebSocketFrameEncoder.headerSize(payloadLength: compressed.count)
                return ByteChunk(count: header + compressed.count) { buffer in
                    WebSocketFrameEncoder.writeHeader(
                        into: buffer, opcode: opcode, rsv1: true, payloadLength: compressed.count)
                    UnsafeMutableRawBufferPointer(rebasing: buffer[header...]).copyMemory(from: compressed)
                }
            }
        }
    }
}
