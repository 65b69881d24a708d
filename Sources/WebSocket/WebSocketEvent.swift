/// What the reader hands to its caller: a whole message or one control frame (RFC 6455 §5.5).
public enum WebSocketEvent: Sendable, Equatable {
    case message(WebSocketMessage)
    /// The caller answers with a pong carrying the same payload (RFC 6455 §5.5.2).
    case ping([UInt8])
    case pong([UInt8])
    /// The peer's close. The code has been checked with `WebSocketCloseCode.isValidOnWire` and the
    /// reason is valid UTF-8; `code` is nil when the close frame had no payload (RFC 6455 §5.5.1).
    case close(code: UInt16?, reason: String)
}
