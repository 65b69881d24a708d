import Foundation
import HTTP1
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
