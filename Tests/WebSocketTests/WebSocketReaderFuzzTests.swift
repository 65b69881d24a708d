import TestSupport
import Testing

@testable import WebSocket

/// Garbage and mutated valid streams for a bounded time: the reader must never trap or hang, and
/// whatever it delivers must still obey the protocol.
@Suite struct WebSocketReaderFuzzTests {
    static let limits = WebSocketLimits(maxMessageBytes: 2048, maxFragments: 8)

    @Test func randomGarbage() {
        var random = SplitMix64(seed: 0x5EED)
        let deadline = ContinuousClock.now + .milliseconds(900)
        var runs = 0
        while ContinuousClock.now < deadline {
            let count = Int.random(in: 0...200, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Bias the first byte towards legal headers so parsing gets past it.
            if !bytes.isEmpty {
                bytes[0] = [0x81, 0x82, 0x01, 0x89, 0x8A, 0x88, bytes[0]].randomElement(using: &random)!
            }
            self.check(bytes, random: &random)
            runs += 1
        }
        #expect(runs > 100)
    }

    @Test func mutatedValidStreams() {
        var random = SplitMix64(seed: 0xF00D)
        let deadline = ContinuousClock.now + .milliseconds(1100)
        var runs = 0
        while ContinuousClock.now < deadline {
            var bytes = Self.validStream(random: &random)
            for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
                case 1: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 2: bytes.removeSubrange(index...)
                default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                }
            }
            self.check(bytes, random: &random)
            runs += 1
        }
        #expect(runs > 100)
    }

    /// A few random client frames: fragmented text and binary, pings, sometimes a close.
    static func validStream(random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        let key = (
            UInt8.random(in: 0...255, using: &random), UInt8(7), UInt8(0), UInt8.random(in: 0...255, using: &random)
        )
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let length = [0, 1, 5, 125, 126, 300].randomElement(using: &random)!
            let payload = Array(String(repeating: "é", count: length / 2 + 1).utf8.prefix(length))
            let fragments = Int.random(in: 1...3, using: &random)
            for index in 0..<fragments {
                let opcode: WebSocketOpcode =
                    index > 0 ? .continuation : (Bool.random(using: &random) ? .text : .binary)
                bytes += WebSocketFrameEncoder.maskedFrame(
                    opcode, payload: payload, fin: index == fragments - 1, maskKey: key)
                if Bool.random(using: &random) {
                    bytes += WebSocketFrameEncoder.maskedFrame(.ping, payload: payload.prefix(20), maskKey: key)
                }
            }
        }
        if Bool.random(using: &random) {
            bytes += WebSocketFrameEncoder.maskedFrame(.close, payload: [0x03, 0xE8, 0x61], maskKey: key)
        }
        return bytes
    }

    /// Feeds `bytes` whole and in random pieces, to every kind of reader, and checks the results.
    func check(_ bytes: [UInt8], random: inout SplitMix64) {
        var pieces: [Int] = []
        var total = 0
        while total < bytes.count {
            let size = Int.random(in: 1...64, using: &random)
            pieces.append(size)
            total += size
        }
        let whole = feed(bytes, limits: Self.limits)
        let split = feed(bytes, pieces: pieces, limits: Self.limits)
        // Any split gives the same events; the failure may come sooner (fail fast), never with another code.
        #expect(whole.events.starts(with: split.events) || split.events.starts(with: whole.events))
        #expect(whole.failure?.code == split.failure?.code)
        for outcome in [whole, split, feed(bytes, limits: Self.limits, inflater: CopyingInflater())] {
            self.checkInvariants(outcome, limits: Self.limits)
        }
        self.checkInvariants(feed(bytes, role: .client), limits: WebSocketLimits())
    }

    func checkInvariants(_ outcome: ReaderOutcome, limits: WebSocketLimits) {
        for (index, event) in outcome.events.enumerated() {
            switch event {
            case .message(.text(let bytes)):
                #expect(UTF8Validator.isValid(bytes))
                #expect(bytes.count <= limits.maxMessageBytes)
            case .ping(let bytes), .pong(let bytes):
                #expect(bytes.count <= 125)
            case .close(let code, let reason):
                #expect(code.map(WebSocketCloseCode.isValidOnWire) ?? reason.isEmpty)
                #expect(index == outcome.events.count - 1, "events after close")
                #expect(outcome.failure == nil)
            case .message(.binary(let bytes)):
                #expect(bytes.count <= limits.maxMessageBytes)
            }
        }
        if let failure = outcome.failure {
            #expect([.protocolError, .invalidPayload, .messageTooBig].contains(failure.code))
        }
    }
}
