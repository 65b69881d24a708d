import TestSupport
import Testing

@testable import WebSocket

@Suite struct WebSocketReaderTests {
    /// A stream exercising every path: short text, empty frames, a fragmented message with a ping
    /// between its fragments, a 16-bit length, a pong and a close.
    static let stream: [UInt8] =
        clientFrame(.text, "Hello")
        + clientFrame(.binary, [])
        + clientFrame(.text, "Hé", fin: false) + clientFrame(.ping, [1, 2])
        + clientFrame(.continuation, "llo ✓", fin: false)
        + clientFrame(.continuation, [])
        + clientFrame(.binary, (0..<300).map { UInt8($0 & 0xFF) })
        + clientFrame(.pong, "pong")
        + clientFrame(.close, [0x03, 0xE8] + Array("bye".utf8))

    static let streamEvents: [WebSocketEvent] = [
        .message(.text(Array("Hello".utf8))),
        .message(.binary([])),
        .ping([1, 2]),
        .message(.text(Array("Héllo ✓".utf8))),
        .message(.binary((0..<300).map { UInt8($0 & 0xFF) })),
        .pong(Array("pong".utf8)),
        .close(code: 1000, reason: "bye"),
    ]

    @Test func wholeStream() {
        #expect(feed(Self.stream) == ReaderOutcome(events: Self.streamEvents))
    }

    @Test func byteByByte() {
        #expect(feedByteByByte(Self.stream) == ReaderOutcome(events: Self.streamEvents))
    }

    @Test func splitAtEveryOffset() {
        for split in 0...Self.stream.count {
            let outcome = feed(Self.stream, pieces: [split])
            #expect(outcome == ReaderOutcome(events: Self.streamEvents), "split at \(split)")
        }
    }

    @Test func randomPieces() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var pieces: [Int] = []
            var total = 0
            while total < Self.stream.count {
                let size = Int.random(in: 1...40, using: &random)
                pieces.append(size)
                total += size
            }
            #expect(feed(Self.stream, pieces: pieces) == ReaderOutcome(events: Self.streamEvents))
        }
    }

    @Test func manyFramesInOneBuffer() {
        let messages = (0..<500).map { "message \($0)" }
        let bytes = messages.flatMap { clientFrame(.text, $0) }
        #expect(feed(bytes) == ReaderOutcome(events: messages.map { .message(.text(Array($0.utf8))) }))
    }

    @Test(arguments: Array(0...300) + [65535, 65536, 70000])
    func unmasksEveryLength(length: Int) {
        let limits = WebSocketLimits(maxMessageBytes: 1 << 20)
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let frame = clientFrame(.binary, payload)
        let lengthField = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8
        #expect(frame.count == 2 + lengthField + 4 + length)
        #expect(feed(frame, limits: limits) == ReaderOutcome(events: [.message(.binary(payload))]))
        // Split inside the payload at an odd offset, so unmasking resumes mid-key.
        let split = min(frame.count, 2 + lengthField + 4 + length / 2 + 1)
        #expect(feed(frame, pieces: [split], limits: limits) == ReaderOutcome(events: [.message(.binary(payload))]))
    }

    @Test func largeFrameByPieces() {
        let payload = (0..<70000).map { UInt8(truncatingIfNeeded: $0) }
        let frame = clientFrame(.binary, payload)
        let outcome = feed(
            frame, pieces: Array(repeating: 997, count: frame.count / 997 + 1), limits: .init(maxMessageBytes: 1 << 20))
        #expect(outcome == ReaderOutcome(events: [.message(.binary(payload))]), "Autobahn 1.2.8: 997-byte chunks")
    }

    @Test func unmaskedFramesForClientRole() {
        let frame = WebSocketFrameEncoder.frame(.text, payload: Array("hi".utf8))
        #expect(feed(frame, role: .client) == ReaderOutcome(events: [.message(.text(Array("hi".utf8)))]))
    }

    @Test func controlFramesBetweenFragmentsArriveAtOnce() throws {
        var reader = WebSocketReader()
        let first = feed(clientFrame(.text, "a", fin: false) + clientFrame(.ping, "p"), into: &reader)
        #expect(first == ReaderOutcome(events: [.ping(Array("p".utf8))]))
        #expect(!reader.isIdle)
        let second = feed(clientFrame(.pong, []) + clientFrame(.continuation, "b"), into: &reader)
        #expect(second == ReaderOutcome(events: [.pong([]), .message(.text(Array("ab".utf8)))]))
        #expect(reader.isIdle)
    }

    @Test func idleOnlyBetweenFrames() {
        var reader = WebSocketReader()
        #expect(reader.isIdle)
        let frame = clientFrame(.text, "hello")
        _ = feed(Array(frame[0..<1]), into: &reader)
        #expect(!reader.isIdle)
        _ = feed(Array(frame[1..<8]), into: &reader)
        #expect(!reader.isIdle)
        let outcome = feed(Array(frame[8...]), into: &reader)
        #expect(outcome.events == [.message(.text(Array("hello".utf8)))])
        #expect(reader.isIdle)
        _ = feed(Array(clientFrame(.ping, "12345")[0..<8]), into: &reader)
        #expect(!reader.isIdle)
    }

    @Test func inputAfterCloseIsIgnored() {
        var reader = WebSocketReader()
        let outcome = feed(clientFrame(.close, []) + clientFrame(.text, "late") + [0xFF, 0xFF], into: &reader)
        #expect(outcome == ReaderOutcome(events: [.close(code: nil, reason: "")]))
        #expect(reader.isClosed && reader.isIdle)
        #expect(feed(clientFrame(.text, "later"), into: &reader) == ReaderOutcome())
    }

    @Test func inputAfterFailureIsIgnored() {
        var reader = WebSocketReader()
        #expect(feed([0x83, 0x80], into: &reader).failure?.code == .protocolError)
        #expect(feed(clientFrame(.text, "more"), into: &reader) == ReaderOutcome())
        #expect(reader.isIdle)
    }

    @Test func errorFromHandlerIsRethrownAndCloses() {
        struct Stop: Error {}
        var reader = WebSocketReader()
        var bytes = clientFrame(.text, "a") + clientFrame(.text, "b")
        var seen: [WebSocketEvent] = []
        #expect(throws: Stop.self) {
            try bytes.withUnsafeMutableBytes { buffer in
                try reader.read(buffer) { event in
                    seen.append(event)
                    throw Stop()
                }
            }
        }
        #expect(seen.count == 1 && reader.isClosed)
    }

    // MARK: Compression hook

    @Test func compressedMessageGoesThroughInflater() {
        let inflater = CopyingInflater()
        let bytes =
            clientFrame(.text, Array("ab".utf8), fin: false, rsv1: true)
            + clientFrame(.ping, [])
            + clientFrame(.continuation, Array("cd".utf8), fin: false)
            + clientFrame(.continuation, [])
            + clientFrame(.text, "plain")
        let outcome = feed(bytes, inflater: inflater)
        #expect(
            outcome
                == ReaderOutcome(events: [
                    .ping([]), .message(.text(Array("abcd".utf8))), .message(.text(Array("plain".utf8))),
                ]))
        #expect(inflater.calls.map(\.bytes) == [Array("ab".utf8), Array("cd".utf8), []])
        #expect(inflater.calls.map(\.isFinal) == [false, false, true])
    }

    @Test func compressedFrameSplitAcrossReadsIsInflatedPieceByPiece() {
        let inflater = CopyingInflater()
        let frame = clientFrame(.binary, Array(0..<10), rsv1: true)
        let outcome = feed(frame, pieces: [2 + 4 + 3], inflater: inflater)
        #expect(outcome == ReaderOutcome(events: [.message(.binary(Array(0..<10)))]))
        #expect(inflater.calls.map(\.bytes) == [[0, 1, 2], Array(3..<10)])
        #expect(inflater.calls.map(\.isFinal) == [false, true])
    }

    @Test func inflaterFailureClosesWithItsCode() {
        let inflater = CopyingInflater()
        inflater.failure = WebSocketFailure(.invalidPayload, "corrupt")
        #expect(feed(clientFrame(.binary, [1], rsv1: true), inflater: inflater).failure?.code == .invalidPayload)
        let tooBig = feed(
            clientFrame(.binary, Array(repeating: 0, count: 20), rsv1: true),
            limits: .init(maxMessageBytes: 10), inflater: CopyingInflater())
        #expect(tooBig.failure?.code == .messageTooBig)
    }

    @Test func inflatedTextIsValidated() {
        let outcome = feed(clientFrame(.text, [0x61, 0xFF], rsv1: true), inflater: CopyingInflater())
        #expect(outcome.failure?.code == .invalidPayload)
    }
}
