import HTTP1

extension HTTPResponse {
    /// This answer carrying a ticket code, a host key or an email address, marked so that no cache
    /// (the browser's disk cache, a proxy) keeps it: `Cache-Control: no-store` (RFC 9111 §5.2.2.5).
    var notStored: HTTPResponse {
        var response = self
        response.headers.replaceOrAdd(name: "Cache-Control", value: "no-store")
        return response
    }
}
