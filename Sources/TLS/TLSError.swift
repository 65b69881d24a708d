import COpenSSL

/// A TLS failure: a certificate or key that cannot be used, or a peer that broke the protocol.
///
/// The message names what failed and carries OpenSSL's own reasons (its thread-local error queue,
/// drained when the error is made), e.g. `handshake failed: unsupported protocol`.
public struct TLSError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// `what`, followed by the reasons OpenSSL queued on this thread (the queue is left empty).
    /// A `detail` (such as the certificate verification result) follows in parentheses.
    static func openSSL(_ what: String, detail: String? = nil) -> TLSError {
        let reasons = Self.drainErrorQueue()
        var text = reasons.isEmpty ? what : "\(what): \(reasons.joined(separator: "; "))"
        if let detail { text += " (\(detail))" }
        return TLSError(text)
    }

    /// The queued OpenSSL errors as short reason strings, oldest first; empties the queue.
    static func drainErrorQueue() -> [String] {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                reasons.append("error \(code)")
            }
        }
        return reasons
    }
}
