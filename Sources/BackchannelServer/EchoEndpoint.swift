import WebSocket

/// `/echo`: every text and binary message comes straight back, for the Autobahn suite.
/// Off unless `--echo` is given.
final class EchoEndpoint: WebSocketSessionDelegate {
    /// Echo replies are the client's own data: allow a large backlog, but not an endless one.
    static let maxEchoBacklogBytes = 64 << 20

    func session(_ session: WebSocketSession, didReceive message: WebSocketMessage) {
        let frame: [UInt8]
        switch message {
        case .text(let bytes): frame = WebSocketFrameEncoder.frame(.text, payload: bytes)
        case .binary(let bytes): frame = WebSocketFrameEncoder.frame(.binary, payload: bytes)
        }
        guard session.connection.outboundBytes + frame.count <= Self.maxEchoBacklogBytes else {
            session.close(code: .policyViolation, reason: "not reading echoes", flushFirst: false)
            return
        }
        session.connection.write(frame, ignoringLimit: true)
    }
}
