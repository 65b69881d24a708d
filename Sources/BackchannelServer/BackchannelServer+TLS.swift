import TLS

extension BackchannelServer {
    /// The TLS context for `tls.cert.file` and `tls.key.file`, or nil when they are not set.
    /// Fails with a message naming the file when a file is unreadable or the key does not match.
    static func loadTLS(_ configuration: ServerConfiguration) throws -> TLSContext? {
        guard let certificateFile = configuration.tlsCertificateFile, let keyFile = configuration.tlsKeyFile else {
            return nil
        }
        return try TLSContext(certificateFile: certificateFile, keyFile: keyFile)
    }

    /// Whether the server speaks HTTPS and wss://.
    public var isSecure: Bool { self.tls != nil }

    /// Reads the configured certificate and key again (after a renewal) and uses them for new
    /// connections; live connections keep theirs and are not dropped. On failure (a missing file,
    /// a mismatched pair) the old certificate stays in use and the error says why.
    /// Does nothing on a plain server.
    public func reloadCertificates() throws {
        guard let tls = self.tls, let certificateFile = self.configuration.tlsCertificateFile,
            let keyFile = self.configuration.tlsKeyFile
        else { return }
        try tls.reload(certificateFile: certificateFile, keyFile: keyFile)
    }
}
