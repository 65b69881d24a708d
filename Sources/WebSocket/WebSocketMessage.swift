/// One complete data message, its fragments joined (RFC 6455 §5.4).
public enum WebSocketMessage: Sendable, Equatable {
    /// Text; the bytes are checked to be valid UTF-8 (RFC 6455 §5.6, §8.1).
    case text([UInt8])
    case binary([UInt8])

    /// The payload bytes, whatever the kind.
    public var bytes: [UInt8] {
        switch self {
        case .text(let bytes), .binary(let bytes): bytes
        }
    }
}
