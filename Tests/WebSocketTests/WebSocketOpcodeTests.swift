import Testing

@testable import WebSocket

@Suite struct WebSocketOpcodeTests {
    @Test func controlAndReserved() {
        #expect(!WebSocketOpcode.text.isControl && !WebSocketOpcode.continuation.isControl)
        #expect(WebSocketOpcode.close.isControl && WebSocketOpcode.ping.isControl && WebSocketOpcode.pong.isControl)
        let reserved = (0...15).filter { WebSocketOpcode(rawValue: UInt8($0)).isReserved }
        #expect(reserved == [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF])
    }
}
