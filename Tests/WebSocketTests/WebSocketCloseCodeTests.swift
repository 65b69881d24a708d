import Testing

@testable import WebSocket

@Suite struct WebSocketCloseCodeTests {
    @Test func validOnWire() {
        let valid = (0...UInt16.max).filter(WebSocketCloseCode.isValidOnWire)
        let expected = Array(1000...1003) + Array(1007...1014) + Array(3000...4999)
        #expect(valid == expected.map { UInt16($0) })
    }

    @Test func namedCodes() {
        #expect(WebSocketCloseCode.normalClosure.rawValue == 1000)
        #expect(WebSocketCloseCode.protocolError.rawValue == 1002)
        #expect(WebSocketCloseCode.invalidPayload.rawValue == 1007)
        #expect(WebSocketCloseCode.messageTooBig.rawValue == 1009)
        #expect(WebSocketCloseCode.internalError.rawValue == 1011)
    }
}
