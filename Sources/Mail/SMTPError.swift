/// Why a message could not be handed to the SMTP server, sorted by what the sender should do.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server could not be reached or the connection broke (refused, timed out, TLS failed): retry
    /// later; nothing about the message is wrong.
    case connection(String)
    /// The server answered something that is not SMTP, or broke the protocol: treated like a connection
    /// failure.
    case protocolError(String)
    /// The server refused a command with this reply (4yz: try again later, 5yz: never).
    case rejected(command: String, reply: SMTPReply)
    /// Our side cannot send this (an address that cannot be written in SMTP, credentials without TLS).
    case unsendable(String)

    public var description: String {
        switch self {
        case .connection(let text): "connection failed: \(text)"
        case .protocolError(let text): "the SMTP server broke the protocol: \(text)"
        case .rejected(let command, let reply): "\(command) refused: \(reply)"
        case .unsendable(let text): text
        }
    }

    /// True when retrying the same message later can succeed.
    public var isTransient: Bool {
        switch self {
        case .connection, .protocolError: true
        case .rejected(_, let reply): !reply.isPermanent
        case .unsendable: false
        }
    }
}
