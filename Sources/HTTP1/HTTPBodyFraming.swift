/// How the body of a request is delimited (RFC 9112 §6.3), decided once the head is parsed.
enum HTTPBodyFraming: Equatable {
    /// Neither Content-Length nor Transfer-Encoding: the request has no body.
    case none
    /// `Content-Length: n`.
    case length(Int)
    /// `Transfer-Encoding: chunked`.
    case chunked
}
