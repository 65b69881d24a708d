import Testing

@testable import WebSocket

/// Every way a peer can break RFC 6455, each with the close code it must get.
@Suite struct WebSocketReaderFailureTests {
    func expectFailure(
        _ bytes: [UInt8], _ code: WebSocketCloseCode, role: WebSocketRole = .server,
        limits: WebSocketLimits = .init(), inflater: (any WebSocketInflater)? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let whole = feed(bytes, role: role, limits: limits, inflater: inflater)
        #expect(whole.failure?.code == code, "whole: \(whole)", sourceLocation: sourceLocation)
        let bytewise = feed(
            bytes, pieces: Array(repeating: 1, count: bytes.count), role: role, limits: limits, inflater: inflater)
        #expect(bytewise.failure?.code == code, "byte by byte: \(bytewise)", sourceLocation: sourceLocation)
    }

    @Test func rsv1WithoutExtension() {
        self.expectFailure(clientFrame(.text, [0x61], rsv1: true), .protocolError)
    }

    @Test(arguments: [UInt8(0x20), 0x10, 0x30, 0x70])
    func rsv2AndRsv3(bits: UInt8) {
        self.expectFailure(rawHeader(first: 0x81 | bits, length: 0), .protocolError)
        self.expectFailure(rawHeader(first: 0x81 | bits, length: 0), .protocolError, inflater: CopyingInflater())
    }

    @Test func rsv1OnContinuationOrControlEvenWithInflater() {
        let inflater = CopyingInflater()
        self.expectFailure(
            clientFrame(.text, "a", fin: false) + rawHeader(first: 0xC0, length: 0), .protocolError, inflater: inflater)
        self.expectFailure(rawHeader(first: 0xC9, length: 0), .protocolError, inflater: inflater)
        self.expectFailure(rawHeader(first: 0xC8, length: 0), .protocolError, inflater: inflater)
    }

    @Test(arguments: [UInt8(3), 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF])
    func reservedOpcodes(opcode: UInt8) {
        self.expectFailure(rawHeader(first: 0x80 | opcode, length: 0), .protocolError)
        self.expectFailure(clientFrame(.text, "ok") + rawHeader(first: 0x80 | opcode, length: 0), .protocolError)
    }

    @Test func reservedOpcodeFailsAfterEarlierMessagesAreDelivered() {
        let outcome = feed(clientFrame(.text, "first") + rawHeader(first: 0x85, length: 0) + clientFrame(.ping, []))
        #expect(outcome.events == [.message(.text(Array("first".utf8)))])
        #expect(outcome.failure?.code == .protocolError)
    }

    @Test(arguments: [WebSocketOpcode.ping, .pong, .close])
    func controlPayloadOver125(opcode: WebSocketOpcode) {
        self.expectFailure(clientFrame(opcode, Array(repeating: 0x2A, count: 126)), .protocolError)
        // Announced with a 16-bit length, even when the value is small.
        self.expectFailure(rawHeader(first: 0x80 | opcode.rawValue, length: 5, lengthBytes: 2), .protocolError)
    }

    @Test func controlPayloadOf125IsFine() {
        let payload = Array(repeating: UInt8(0x2A), count: 125)
        #expect(feed(clientFrame(.ping, payload)) == ReaderOutcome(events: [.ping(payload)]))
    }

    @Test(arguments: [WebSocketOpcode.ping, .pong, .close])
    func fragmentedControlFrame(opcode: WebSocketOpcode) {
        self.expectFailure(clientFrame(opcode, [1], fin: false), .protocolError)
    }

    @Test func continuationWithoutMessage() {
        self.expectFailure(clientFrame(.continuation, "x"), .protocolError)
        self.expectFailure(clientFrame(.text, "done") + clientFrame(.continuation, "x"), .protocolError)
    }

    @Test func newDataFrameDuringMessage() {
        self.expectFailure(clientFrame(.text, "a", fin: false) + clientFrame(.text, "b"), .protocolError)
        self.expectFailure(
            clientFrame(.binary, [1], fin: false) + clientFrame(.binary, [2], fin: false), .protocolError)
    }

    @Test func maskingByRole() {
        self.expectFailure(WebSocketFrameEncoder.frame(.text, payload: Array("a".utf8)), .protocolError, role: .server)
        self.expectFailure(WebSocketFrameEncoder.frame(.ping, payload: []), .protocolError, role: .server)
        self.expectFailure(clientFrame(.text, "a"), .protocolError, role: .client)
    }

    @Test func lengthWithMostSignificantBitSet() {
        self.expectFailure(rawHeader(first: 0x82, length: 1 << 63), .protocolError)
        self.expectFailure(rawHeader(first: 0x82, length: UInt64.max), .protocolError)
    }

    @Test func frameOverLimitFailsOnTheHeaderAlone() {
        let limits = WebSocketLimits(maxMessageBytes: 1000)
        // Only the header: nothing of the payload has arrived.
        self.expectFailure(rawHeader(first: 0x82, length: 1001), .messageTooBig, limits: limits)
        self.expectFailure(rawHeader(first: 0x82, length: UInt64(Int.max)), .messageTooBig, limits: limits)
        self.expectFailure(rawHeader(first: 0x82, length: 1 << 40), .messageTooBig)
        let exact = Array(repeating: UInt8(7), count: 1000)
        #expect(feed(clientFrame(.binary, exact), limits: limits).events == [.message(.binary(exact))])
    }

    @Test func defaultLimitAllows64KiB() {
        let payload = Array(repeating: UInt8(0x61), count: 65536)
        #expect(feed(clientFrame(.text, payload)).events == [.message(.text(payload))])
        self.expectFailure(rawHeader(first: 0x81, length: 65537), .messageTooBig)
    }

    @Test func fragmentedMessageOverLimit() {
        let limits = WebSocketLimits(maxMessageBytes: 10)
        let bytes =
            clientFrame(.binary, Array(repeating: 1, count: 6), fin: false)
            + rawHeader(first: 0x00, length: 5)
        self.expectFailure(bytes, .messageTooBig, limits: limits)
    }

    @Test func tooManyFragments() {
        let limits = WebSocketLimits(maxFragments: 3)
        let three =
            clientFrame(.text, "a", fin: false) + clientFrame(.continuation, "b", fin: false)
            + clientFrame(.continuation, "c")
        #expect(feed(three, limits: limits).events == [.message(.text(Array("abc".utf8)))])
        let four =
            clientFrame(.text, "a", fin: false) + clientFrame(.continuation, "b", fin: false)
            + clientFrame(.continuation, "c", fin: false) + clientFrame(.continuation, "d")
        self.expectFailure(four, .messageTooBig, limits: limits)
    }

    @Test func invalidUTF8FailsBeforeTheFrameIsComplete() {
        // Header for 20 bytes of text, but only "ab" and an invalid byte have arrived.
        let frame = clientFrame(.text, Array("ab".utf8) + [0xFF] + Array(repeating: 0x61, count: 17))
        let partial = Array(frame[0..<(2 + 4 + 3)])
        #expect(feed(partial).failure?.code == .invalidPayload)
    }

    @Test func invalidUTF8FailsInTheFirstFragment() {
        let bytes = clientFrame(
            .text, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80], fin: false)
        #expect(feed(bytes).failure?.code == .invalidPayload)
    }

    @Test func invalidUTF8SplitAcrossFragments() {
        // A 3-byte sequence split across fragments is fine; an overlong split the same way is not.
        let good = clientFrame(.text, [0xE2, 0x82], fin: false) + clientFrame(.continuation, [0xAC])
        #expect(feed(good).events == [.message(.text([0xE2, 0x82, 0xAC]))])
        self.expectFailure(
            clientFrame(.text, [0xE0], fin: false) + clientFrame(.continuation, [0x80, 0x80]), .invalidPayload)
    }

    @Test func textEndingMidCodePoint() {
        self.expectFailure(clientFrame(.text, [0x61, 0xE2, 0x82]), .invalidPayload)
        self.expectFailure(
            clientFrame(.text, [0xF0, 0x9F], fin: false) + clientFrame(.continuation, [0x98]), .invalidPayload)
    }

    @Test func binaryIsNotValidated() {
        #expect(feed(clientFrame(.binary, [0xFF, 0xC0])).events == [.message(.binary([0xFF, 0xC0]))])
    }

    @Test func closeWithOneBytePayload() {
        self.expectFailure(clientFrame(.close, [0x03]), .protocolError)
    }

    @Test(arguments: [UInt16(0), 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535])
    func closeWithCodeNotAllowedOnWire(code: UInt16) {
        self.expectFailure(clientFrame(.close, [UInt8(code >> 8), UInt8(code & 0xFF)]), .protocolError)
    }

    @Test(arguments: [
        UInt16(1000), 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999,
    ])
    func closeWithValidCode(code: UInt16) {
        let outcome = feed(clientFrame(.close, [UInt8(code >> 8), UInt8(code & 0xFF)] + Array("why".utf8)))
        #expect(outcome == ReaderOutcome(events: [.close(code: code, reason: "why")]))
    }

    @Test func closeReasonInvalidUTF8() {
        self.expectFailure(clientFrame(.close, [0x03, 0xE8, 0xCE, 0xBA, 0xED, 0xA0, 0x80]), .invalidPayload)
        self.expectFailure(clientFrame(.close, [0x03, 0xE8, 0xE2, 0x82]), .invalidPayload)
    }

    @Test func emptyCloseHasNoCode() {
        #expect(feed(clientFrame(.close, [])) == ReaderOutcome(events: [.close(code: nil, reason: "")]))
    }
}
