/// Why the connection must be failed (RFC 6455 §7.1.7): the close code to send and a short reason
/// for the close frame and the logs.
public struct WebSocketFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: WebSocketCloseCode
    public var reason: String

    public init(_ code: WebSocketCloseCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public init(code: WebSocketCloseCode, reason: String) {
        self.init(code, reason)
    }

    public var description: String { "\(self.code.rawValue) \(self.reason)" }

    static func protocolError(_ reason: String) -> WebSocketFailure { .init(.protocolError, reason) }
    static func invalidPayload(_ reason: String) -> WebSocketFailure { .init(.invalidPayload, reason) }
    static func messageTooBig(_ reason: String) -> WebSocketFailure { .init(.messageTooBig, reason) }
}
