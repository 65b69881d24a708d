import Testing

@testable import WebSocket

@Suite struct WebSocketFrameEncoderTests {
    @Test func headerSizes() {
        let sizes = [0, 1, 125, 126, 127, 65535, 65536, 1 << 40].map {
            WebSocketFrameEncoder.headerSize(payloadLength: $0)
        }
        #expect(sizes == [2, 2, 2, 4, 4, 4, 10, 10])
    }

    /// RFC 6455 §5.7 examples.
    @Test func rfcExamples() {
        #expect(
            WebSocketFrameEncoder.frame(.text, payload: Array("Hello".utf8)) == [
                0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F,
            ])
        #expect(
            WebSocketFrameEncoder.maskedFrame(.text, payload: Array("Hello".utf8), maskKey: (0x37, 0xFA, 0x21, 0x3D))
                == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        #expect(
            WebSocketFrameEncoder.frame(.text, payload: Array("Hel".utf8), fin: false) == [
                0x01, 0x03, 0x48, 0x65, 0x6C,
            ])
        #expect(WebSocketFrameEncoder.frame(.continuation, payload: Array("lo".utf8)) == [0x80, 0x02, 0x6C, 0x6F])
        #expect(WebSocketFrameEncoder.frame(.ping, payload: Array("Hello".utf8)).prefix(2) == [0x89, 0x05])
        #expect(
            Array(WebSocketFrameEncoder.frame(.binary, payload: Array(repeating: 0, count: 256)).prefix(4)) == [
                0x82, 0x7E, 0x01, 0x00,
            ])
        #expect(
            Array(WebSocketFrameEncoder.frame(.binary, payload: Array(repeating: 0, count: 65536)).prefix(10))
                == [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0])
    }

    @Test func writeHeaderInFrontOfPayload() {
        var buffer = [UInt8](repeating: 0xEE, count: 14)
        let size = buffer.withUnsafeMutableBytes {
            WebSocketFrameEncoder.writeHeader(into: $0, opcode: .binary, fin: false, rsv1: true, payloadLength: 300)
        }
        #expect(size == 4)
        #expect(Array(buffer.prefix(5)) == [0x42, 0x7E, 0x01, 0x2C, 0xEE])
    }

    @Test(arguments: [0, 1, 125, 126, 127, 1000, 65535, 65536, 100_000])
    func roundTripThroughClientReader(length: Int) {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let limits = WebSocketLimits(maxMessageBytes: 1 << 20)
        let frames =
            WebSocketFrameEncoder.frame(.binary, payload: payload)
            + WebSocketFrameEncoder.frame(.ping, payload: Array(payload.prefix(125)))
        let outcome = feed(frames, role: .client, limits: limits)
        #expect(outcome == ReaderOutcome(events: [.message(.binary(payload)), .ping(Array(payload.prefix(125)))]))
    }

    @Test(arguments: [0, 5, 126, 65536])
    func maskedRoundTripThroughServerReader(length: Int) {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
        let frame = WebSocketFrameEncoder.maskedFrame(.binary, payload: payload, maskKey: (0xDE, 0xAD, 0xBE, 0xEF))
        #expect(frame.count == WebSocketFrameEncoder.headerSize(payloadLength: length) + 4 + length)
        #expect(feed(frame, role: .server) == ReaderOutcome(events: [.message(.binary(payload))]))
    }

    @Test func fragmentedTextRoundTrip() {
        let frames =
            WebSocketFrameEncoder.frame(.text, payload: Array("Hé".utf8).prefix(2), fin: false)
            + WebSocketFrameEncoder.frame(.continuation, payload: Array("Hé".utf8).suffix(1))
        #expect(feed(frames, role: .client) == ReaderOutcome(events: [.message(.text(Array("Hé".utf8)))]))
    }

    @Test func closeFrameRoundTrip() {
        let frame = WebSocketFrameEncoder.closeFrame(code: .goingAway, reason: "server shutting down")
        #expect(Array(frame.prefix(4)) == [0x88, 22, 0x03, 0xE9])
        #expect(
            feed(frame, role: .client) == ReaderOutcome(events: [.close(code: 1001, reason: "server shutting down")]))
    }

    @Test func closeReasonIsTruncatedAtACharacterBoundary() {
        let ascii = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: String(repeating: "x", count: 200))
        #expect(ascii.count == 125)
        // 2-byte characters: 123 bytes would split one, so 122 are kept.
        let accented = WebSocketFrameEncoder.closePayload(
            code: .normalClosure, reason: String(repeating: "é", count: 100))
        #expect(accented.count == 2 + 122)
        // 4-byte characters: 120 bytes.
        let emoji = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: String(repeating: "😀", count: 40))
        #expect(emoji.count == 2 + 120)
        for reason in ["", "short", String(repeating: "€", count: 60), "a" + String(repeating: "😀", count: 40)] {
            let frame = WebSocketFrameEncoder.closeFrame(code: .policyViolation, reason: reason)
            #expect(frame.count <= 127)
            let outcome = feed(frame, role: .client)
            guard case .close(let code, let decoded)? = outcome.events.first else {
                Issue.record("no close event: \(outcome)")
                continue
            }
            #expect(code == 1008)
            #expect(reason.hasPrefix(decoded))
        }
    }
}
