public import TLS

/// Which server certificates a rehearsal of an `https://` target accepts, and how a refusal reads.
///
/// The system's CA store, as a browser would; `--ca-file` adds a private CA or a self-signed
/// certificate (a staging server) to it. There is no way to skip verification: a rehearsal that
/// passed against the wrong server would be worse than one that failed.
public enum RehearseTrust {
    /// The client context for every connection of one rehearsal.
    ///
    /// - Throws: `TLSError` naming the file when `caFile` cannot be read or holds no certificate.
    public static func context(caFile: String?) throws(TLSError) -> TLSContext {
        try TLSContext(clientTrust: .system(additionalFile: caFile))
    }

    /// `TLS handshake with HOST failed: certificate verify failed (self-signed certificate)`, with a
    /// hint when the certificate was refused.
    static func handshakeFailure(host: String, _ error: TLSError) -> String {
        let prefix = "TLS handshake failed"
        var reason = error.description
        if reason.hasPrefix(prefix) {
            reason = String(reason.dropFirst(prefix.count))
            if reason.hasPrefix(": ") { reason = String(reason.dropFirst(2)) }
        }
        return Self.withHint("TLS handshake with \(host) failed" + (reason.isEmpty ? "" : ": \(reason)"))
    }

    /// `message` with a hint added when it says the certificate was refused.
    static func withHint(_ message: String) -> String {
        guard message.contains("certificate verify failed") else { return message }
        return message + "; if the server uses a private CA or a self-signed certificate, pass it with --ca-file"
    }
}
