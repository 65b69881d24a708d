import Testing

@testable import WebSocket

@Suite struct WebSocketMaskingKeyTests {
    /// RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d.
    @Test func rfcExample() {
        var bytes = Array("Hello".utf8)
        bytes.withUnsafeMutableBytes { WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D).apply(to: $0, phase: 0) }
        #expect(bytes == [0x7F, 0x9F, 0x4D, 0x51, 0x58])
    }

    @Test func widePathMatchesBytewiseAtEveryPhaseAndLength() {
        let key = WebSocketMaskingKey(0x01, 0x23, 0x45, 0x67)
        for phase in 0..<8 {
            for length in 0..<40 {
                let original = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) }
                var masked = original
                masked.withUnsafeMutableBytes { key.apply(to: $0, phase: phase) }
                let expected = original.enumerated().map { $1 ^ key[phase + $0] }
                #expect(masked == expected, "phase \(phase), length \(length)")
                // Unaligned start inside a larger buffer.
                var shifted = [0xAA] + original
                shifted.withUnsafeMutableBytes {
                    key.apply(to: UnsafeMutableRawBufferPointer(rebasing: $0[1...]), phase: phase)
                }
                #expect(Array(shifted.dropFirst()) == expected)
            }
        }
    }
}
