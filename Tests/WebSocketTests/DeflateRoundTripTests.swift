import CZlib
import TestSupport
import Testing

@testable import WebSocket
@testable import WebSocketDeflate

/// RFC 7692 §7.2: compressed messages through `DeflateCompressor`, the reader and `DeflateInflater`.
@Suite struct DeflateRoundTripTests {
    static let hello: [UInt8] = Array("Hello".utf8)

    /// Inflates one whole message the way the reader does.
    func inflate(_ payload: [UInt8], with inflater: DeflateInflater, limit: Int = 1 << 20) throws(WebSocketFailure) -> [UInt8] {
        var output: [UInt8] = []
        let failure = payload.withUnsafeBytes { bytes -> WebSocketFailure? in
            do throws(WebSocketFailure) {
                try inflater.inflate(bytes, isFinal: true, limit: limit, into: &output)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        return output
    }

    func compressedFrame(_ payload: [UInt8], fin: Bool = true, opcode: WebSocketOpcode = .text) -> [UInt8] {
        WebSocketFrameEncoder.maskedFrame(opcode, payload: payload, fin: fin, rsv1: true, maskKey: (9, 8, 7, 6))
    }

    // MARK: RFC 7692 §7.2.3 examples

    @Test func rfcExamples() throws {
        // §7.2.3.1 one compressed block; §7.2.3.3 a stored block; §7.2.3.4 BFINAL set; §7.2.3.5 two blocks.
        let examples: [[UInt8]] = [
            [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00],
            [0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00],
            [0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00],
            [0xF2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xCA, 0xC9, 0xC9, 0x07, 0x00],
        ]
        let inflater = DeflateInflater()
        for example in examples {
            #expect(try self.inflate(example, with: inflater) == Self.hello)
        }
        // §7.2.3.6: an empty message.
        #expect(try self.inflate([0x00], with: inflater) == [])
    }

    /// §7.2.3.2: the second "Hello" refers to the first through the shared window.
    @Test func rfcContextTakeover() throws {
        let inflater = DeflateInflater()
        #expect(try self.inflate([0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], with: inflater) == Self.hello)
        #expect(try self.inflate([0xF2, 0x00, 0x11, 0x00, 0x00], with: inflater) == Self.hello)
    }

    /// After a BFINAL block the stream restarts, and with context takeover the window survives.
    @Test func contextSurvivesFinalBlock() throws {
        let inflater = DeflateInflater()
        #expect(try self.inflate([0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00], with: inflater) == Self.hello)
        #expect(try self.inflate([0xF2, 0x00, 0x11, 0x00, 0x00], with: inflater) == Self.hello)
    }

    /// §7.2.3.1: "Hello" compressed, and the same bytes as two fragments.
    @Test func compressorMatchesRFCAndReaderTakesFragments() {
        #expect(DeflateCompressor().compress(Self.hello) == [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
        let stream =
            WebSocketFrameEncoder.maskedFrame(.text, payload: [0xF2, 0x48, 0xCD], fin: false, rsv1: true, maskKey: (1, 2, 3, 4))
            + WebSocketFrameEncoder.maskedFrame(.continuation, payload: [0xC9, 0xC9, 0x07, 0x00], maskKey: (5, 6, 7, 8))
        let outcome = feed(stream, pieces: [3, 1, 4, 2], inflater: DeflateInflater())
        #expect(outcome == ReaderOutcome(events: [.message(.text(Self.hello))]))
    }

    // MARK: Round trips

    static func sampleText(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        let words = ["comment", "webinar", "question", "slide", "thanks", "audio", "great", "🎉", "über", "naïve"]
        var generator = SplitMix64(seed: seed)
        var text: [UInt8] = []
        while text.count < count {
            text += Array((words.randomElement(using: &generator)! + " ").utf8)
        }
        return text
    }

    /// Without context takeover on either side: every message stands alone.
    @Test(arguments: [0, 1, 5, 100, 1000, 70_000, 300_000])
    func roundTripWithoutContextTakeover(size: Int) throws {
        let compressor = DeflateCompressor()
        let inflater = DeflateInflater(noContextTakeover: true)
        for seed in 1...3 {
            let message = Self.sampleText(size, seed: UInt64(seed))
            let compressed = try #require(compressor.compress(message))
            #expect(try self.inflate(compressed, with: inflater) == message)
            // A fresh inflater agrees: nothing depended on the previous message.
            #expect(try self.inflate(compressed, with: DeflateInflater()) == message)
        }
    }

    /// With client context takeover, later messages refer back and only inflate in sequence.
    @Test func roundTripWithContextTakeover() throws {
        let client = DeflateCompressor(noContextTakeover: false)
        let inflater = DeflateInflater()
        var sizes: [Int] = []
        for _ in 0..<5 {
            let message = Array(#"{"type":"comment","text":"the same comment again and again"}"#.utf8)
            let compressed = try #require(client.compress(message))
            sizes.append(compressed.count)
            #expect(try self.inflate(compressed, with: inflater) == message)
        }
        #expect(sizes[4] < sizes[0] / 2, "later messages should be back-references: \(sizes)")
    }

    /// Large messages, fragmented and fed to the reader in odd pieces, as text and binary.
    @Test(arguments: [WebSocketOpcode.text, .binary])
    func fragmentedCompressedMessages(opcode: WebSocketOpcode) throws {
        let compressor = DeflateCompressor()
        let message = Self.sampleText(200_000, seed: 7)
        let compressed = try #require(compressor.compress(message))
        var stream: [UInt8] = []
        var offset = 0
        var first = true
        for size in [1, 0, 300, 4096, 17, 100_000] where offset < compressed.count {
            let end = min(compressed.count, offset + size)
            stream += WebSocketFrameEncoder.maskedFrame(
                first ? opcode : .continuation, payload: compressed[offset..<end], fin: false, rsv1: first,
                maskKey: (1, 2, 3, 4))
            first = false
            offset = end
        }
        stream += WebSocketFrameEncoder.maskedFrame(.continuation, payload: compressed[offset...], maskKey: (4, 3, 2, 1))
        stream += self.compressedFrame(compressor.compress(Self.hello)!, opcode: opcode)
        let limits = WebSocketLimits(maxMessageBytes: 1 << 20)
        let outcome = feed(stream, pieces: [7, 1, 1, 2, 999, 65536, 3], limits: limits, inflater: DeflateInflater())
        let expected: [WebSocketEvent] =
            opcode == .text
            ? [.message(.text(message)), .message(.text(Self.hello))]
            : [.message(.binary(message)), .message(.binary(Self.hello))]
        #expect(outcome == ReaderOutcome(events: expected))
    }

    /// Compressed and plain messages interleave; a ping between fragments is fine.
    @Test func mixedCompressedAndPlain() {
        let compressor = DeflateCompressor()
        let payload = compressor.compress(Self.hello)!
        let stream =
            self.compressedFrame(Array(payload[..<2]), fin: false)
            + WebSocketFrameEncoder.maskedFrame(.ping, payload: [1], maskKey: (1, 1, 1, 1))
            + WebSocketFrameEncoder.maskedFrame(.continuation, payload: payload[2...], maskKey: (2, 2, 2, 2))
            + WebSocketFrameEncoder.maskedFrame(.text, payload: Self.hello, maskKey: (3, 3, 3, 3))
        let outcome = feed(stream, inflater: DeflateInflater())
        #expect(outcome == ReaderOutcome(events: [.ping([1]), .message(.text(Self.hello)), .message(.text(Self.hello))]))
    }

    /// A 9-bit window (what we use when a client agreed to 8) never reaches back over 256 bytes,
    /// so a strict 8-bit inflater takes our output (§7.1.2.1).
    @Test func nineBitOutputInflatesWithEightBitWindow() throws {
        var generator = SplitMix64(seed: 3)
        let block = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let message = block + block + block
        let compressed = try #require(DeflateCompressor(windowBits: 9).compress(message))
        #expect(try rawInflate(compressed + deflateTail, windowBits: 8) == message)
    }

    // MARK: Failures

    /// A decompression bomb: 64 MiB of zeros in ~64 KiB, against a 1 MiB limit.
    @Test func bombIsCappedAtTheLimit() throws {
        let bomb = try #require(DeflateCompressor().compress([UInt8](repeating: 0, count: 64 << 20)))
        #expect(bomb.count < 128 << 10)
        let inflater = DeflateInflater()
        var output: [UInt8] = []
        let failure = bomb.withUnsafeBytes { bytes -> WebSocketFailure? in
            do throws(WebSocketFailure) {
                try inflater.inflate(bytes, isFinal: true, limit: 1 << 20, into: &output)
                return nil
            } catch {
                return error
            }
        }
        #expect(failure?.code == .messageTooBig)
        // Inflating stopped one byte past the limit, not at 64 MiB.
        #expect(output.count <= (1 << 20) + 1)
        // Through the reader: 1009 before the message is handed over.
        let frame = self.compressedFrame(bomb, opcode: .binary)
        let outcome = feed(frame, limits: WebSocketLimits(maxMessageBytes: 1 << 20), inflater: DeflateInflater())
        #expect(outcome.failure?.code == .messageTooBig)
        #expect(outcome.events.isEmpty)
    }

    @Test func exactLimitPasses() throws {
        let message = [UInt8](repeating: 0x61, count: 4096)
        let compressed = try #require(DeflateCompressor().compress(message))
        #expect(try self.inflate(compressed, with: DeflateInflater(), limit: 4096) == message)
        #expect(throws: WebSocketFailure(.messageTooBig, "inflated message longer than 4095 bytes")) {
            try self.inflate(compressed, with: DeflateInflater(), limit: 4095)
        }
    }

    @Test func corruptDataFailsWith1007() {
        // BTYPE 11 is reserved (RFC 1951 §3.2.3).
        #expect(throws: WebSocketFailure(.invalidPayload, "invalid compressed data")) {
            try self.inflate([0xFF, 0xFF, 0xFF], with: DeflateInflater())
        }
        let outcome = feed(self.compressedFrame([0x07, 0x00]), inflater: DeflateInflater())
        #expect(outcome.failure?.code == .invalidPayload)
    }

    /// Inflated text is still checked as UTF-8 (RFC 6455 §8.1).
    @Test func invalidUTF8InsideCompressedText() throws {
        let payload = try #require(DeflateCompressor().compress([0x48, 0xC3, 0x28]))
        let outcome = feed(self.compressedFrame(payload), inflater: DeflateInflater())
        #expect(outcome.failure?.code == .invalidPayload)
    }

    /// RSV1 without an agreement, or on a continuation, stays a protocol error (RFC 7692 §6).
    @Test func rsv1Rules() {
        let payload = DeflateCompressor().compress(Self.hello)!
        #expect(feed(self.compressedFrame(payload)).failure?.code == .protocolError)
        let stream =
            self.compressedFrame(Array(payload[..<2]), fin: false)
            + WebSocketFrameEncoder.maskedFrame(.continuation, payload: payload[2...], rsv1: true, maskKey: (1, 2, 3, 4))
        #expect(feed(stream, inflater: DeflateInflater()).failure?.code == .protocolError)
    }
}

/// Raw inflate of a whole buffer through zlib directly, with any window (8 included).
func rawInflate(_ input: [UInt8], windowBits: Int32) throws -> [UInt8] {
    var stream = z_stream()
    guard czlib_inflateInit2(&stream, -windowBits) == Z_OK else { throw InflateError() }
    defer { inflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: 1 << 20)
    var input = input
    let (code, produced) = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = uInt(outBuffer.count)
            let code = inflate(&stream, Z_SYNC_FLUSH)
            return (code, outBuffer.count - Int(stream.avail_out))
        }
    }
    guard code == Z_OK || code == Z_STREAM_END else { throw InflateError() }
    return Array(output[..<produced])
}

struct InflateError: Error {}
