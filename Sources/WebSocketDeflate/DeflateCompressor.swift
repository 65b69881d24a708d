import CZlib

/// Compresses whole messages for permessage-deflate (RFC 7692 §7.2.1): DEFLATE blocks ended by a
/// sync flush whose `00 00 ff ff` is removed.
///
/// By default with no context takeover (§7.1.1.1, which the server always asks for): every message
/// is a fresh stream, so one compressor serves every connection of a loop and one compressed frame
/// serves every recipient of a broadcast. `noContextTakeover: false` keeps the window between
/// messages, as a client may (test clients). Not thread-safe: keep one per loop (`DeflateCompressors`).
public final class DeflateCompressor {
    /// The LZ77 window, 9…15 (zlib's 9 also serves a peer that agreed to 8).
    public let windowBits: Int
    public let level: Int
    public let memoryLevel: Int
    public let noContextTakeover: Bool
    private var stream: ZStream?
    private var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    /// The scratch buffer is kept between messages up to this size, and reallocated above it.
    static let keptScratchBytes = 256 << 10

    public init(windowBits: Int = 15, level: Int = 6, memoryLevel: Int = 8, noContextTakeover: Bool = true) {
        self.windowBits = min(15, max(9, windowBits))
        self.noContextTakeover = noContextTakeover
        self.level = min(9, max(1, level))
        self.memoryLevel = min(9, max(1, memoryLevel))
    }

    deinit {
        if let stream = self.stream {
            deflateEnd(stream.pointer)
            stream.deallocate()
        }
        self.scratch.deallocate()
    }

    /// Compresses `message` and calls `body` with the payload for a frame with RSV1 set (DEFLATE
    /// blocks without the trailing `00 00 ff ff`), valid only during the call; nil if zlib failed.
    public func withCompressed<R>(_ message: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let stream = self.openStream() else { return body(nil) }
        defer {
            stream.clearBuffers()
            if self.noContextTakeover { deflateReset(stream.pointer) }
            if self.scratch.count > Self.keptScratchBytes {
                self.scratch.deallocate()
                self.scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
            }
        }
        precondition(message.count <= Int(UInt32.max), "message too large for one deflate call")
        let bound = Int(deflateBound(stream.pointer, uLong(message.count))) + 16
        self.reserve(bound)
        stream.setInput(message)
        var produced = 0
        while true {
            stream.setOutput(UnsafeMutableRawBufferPointer(rebasing: self.scratch[produced...]))
            let code = deflate(stream.pointer, Z_SYNC_FLUSH)
            produced = self.scratch.count - stream.availableOutput
            guard code == Z_OK || code == Z_BUF_ERROR else { return body(nil) }
            // Done once deflate leaves output space unused (zlib manual, Z_SYNC_FLUSH).
            if stream.availableOutput > 0 { break }
            self.reserve(self.scratch.count * 2)
        }
        let bytes = UnsafeRawBufferPointer(rebasing: self.scratch[..<produced])
        guard produced >= 4, bytes[(produced - 4)...].elementsEqual(deflateTail) else { return body(nil) }
        return body(UnsafeRawBufferPointer(rebasing: bytes[..<(produced - 4)]))
    }

    /// The compressed payload of `message` as an array (tests, one-off use); nil if zlib failed.
    public func compress(_ message: [UInt8]) -> [UInt8]? {
        message.withUnsafeBytes { input in self.withCompressed(input) { $0.map(Array.init) } }
    }

    private func openStream() -> ZStream? {
        if let stream = self.stream { return stream }
        let stream = ZStream()
        let code = czlib_deflateInit2(
            stream.pointer, Int32(self.level), Z_DEFLATED, -Int32(self.windowBits), Int32(self.memoryLevel),
            Z_DEFAULT_STRATEGY)
        guard code == Z_OK else {
            stream.deallocate()
            return nil
        }
        self.stream = stream
        return stream
    }

    /// Grows the scratch buffer to at least `count` bytes, keeping what it holds.
    private func reserve(_ count: Int) {
        guard count > self.scratch.count else { return }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        if let base = self.scratch.baseAddress {
            grown.baseAddress!.copyMemory(from: base, byteCount: self.scratch.count)
        }
        self.scratch.deallocate()
        self.scratch = grown
    }
}

@available(*, unavailable)
extension DeflateCompressor: Sendable {}
