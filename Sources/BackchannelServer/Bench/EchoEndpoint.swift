import Sockets
import WebSocket

/// `/echo`: every text and binary message comes straight back, for the Autobahn suite.
/// Off unless `--echo` is given.
final class EchoEndpoint: WebSocketSessionDelegate {
    /// Echo replies are the client's own data: allow a large backlog, but not an endless one.
    static let maxEchoBacklogBytes = 64 << 20

    /// An echo socket has no join step: once open it counts as joined for the per-address cap.
    func sessionDidOpen(_ session: WebSocketSession) {
        session.connection.releaseAddressSlot()
    }

    func session(_ session: WebSocketSession, didReceive message: WebSocketMessage) {
        // Compressed (RFC 7692) when the client agreed and the message is worth it.
        let frame =
            switch message {
            case .text(let bytes): session.frame(.text, payload: bytes)
            case .binary(let bytes): session.frame(.binary, payload: bytes)
            }
        guard session.connection.outboundBytes + frame.count <= Self.maxEchoBacklogBytes else {
            session.close(code: .policyViolation, reason: "not reading echoes", flushFirst: false)
            return
        }
        session.connection.write(frame, ignoringLimit: true)
    }
}
