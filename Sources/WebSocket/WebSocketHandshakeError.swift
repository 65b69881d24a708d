public import HTTP1

/// Why an upgrade request was refused (RFC 6455 §4.2.1, §4.2.2): the status to answer with, a
/// short message for the body and logs, and any headers the answer must carry.
public struct WebSocketHandshakeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var status: HTTPStatus
    public var message: String
    public var headers: HTTPHeaders

    public init(status: HTTPStatus, message: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(self.status): \(self.message)" }

    static func badRequest(_ message: String) -> WebSocketHandshakeError {
        WebSocketHandshakeError(status: .badRequest, message: message)
    }
}
