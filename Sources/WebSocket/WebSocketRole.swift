/// Which end of the connection the reader parses for. A server requires masked frames from its
/// client and a client requires unmasked frames from its server (RFC 6455 §5.1); either violation
/// fails the connection with 1002.
public enum WebSocketRole: Sendable {
    case server
    case client
}
