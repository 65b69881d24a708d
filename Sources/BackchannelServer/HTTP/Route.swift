import HTTP1
import LiveHub

/// Answers a request exactly once, from any thread; the answer hops back to the connection's loop.
struct Responder: Sendable {
    let respond: @Sendable (HTTPResponse) -> Void

    func callAsFunction(_ response: HTTPResponse) { self.respond(response) }
}

/// How a route answers: plain HTTP (maybe later, from a store thread) or by upgrading to WebSocket.
enum Route: Sendable {
    case http(@Sendable (RequestContext, Responder) -> Void)
    /// Runs on the loop thread: returns the session's delegate, or a refusal (403 bad origin, …).
    case webSocket(WebSocketRoute)
}

struct WebSocketRoute: Sendable {
    var maxMessageBytes: Int
    var maxFragments: Int = 1024
    var makeDelegate: @Sendable (RequestContext) -> Result<any WebSocketSessionDelegate, HTTPResponseError>
}

/// An error answered as `{"error": {"code", "message"}}` with its status (contract: Conventions).
struct HTTPResponseError: Error, Sendable {
    let status: HTTPStatus
    let code: String
    let message: String
    var headers: HTTPHeaders = [:]

    var response: HTTPResponse {
        var response = HTTPResponse.json(self.status, JSONBody.error(code: self.code, message: self.message))
        for (name, value) in self.headers { response.headers.add(name: name, value: value) }
        return response
    }

    static func notFound(_ message: String = "Nothing is here. Check the address.") -> HTTPResponseError {
        HTTPResponseError(status: .notFound, code: "not_found", message: message)
    }
}
