import HTTP1
import LiveHub
import Sockets
import Synchronization

/// What a matched request needs: the request, its path parameters and query.
struct RequestContext: Sendable {
    let request: HTTPRequest
    let parameters: RouteParameters
    let query: QueryParameters
    /// The connection, for questions only the kernel can answer (is the peer on loopback?).
    /// Ask synchronously in the handler: the connection may be gone by the time a store call returns.
    let connection: Connection
    /// The peer's address, for logs (read once per connection).
    let client: String
    /// How long the answer waits before it goes out (a failed authentication, see ``AuthPenalties``).
    let answerDelay = AnswerDelay()

    var head: HTTPRequestHead { self.request.head }

    /// The bearer token of `Authorization: Bearer …`, if any.
    var bearerToken: String? {
        guard let value = self.head.headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

/// Milliseconds to hold a request's answer, raised by whoever handles it, from any thread.
final class AnswerDelay: Sendable {
    private let value = Atomic<UInt64>(0)

    var milliseconds: UInt64 { self.value.load(ordering: .acquiring) }

    func raise(to milliseconds: UInt64) {
        self.value.max(milliseconds, ordering: .acquiringAndReleasing)
    }
}

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

import Foundation
