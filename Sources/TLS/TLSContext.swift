import COpenSSL
import Synchronization

/// The shared TLS settings of a listener (an `SSL_CTX`): protocol versions, ciphers, ALPN and,
/// for a server, the certificate chain and private key.
///
/// Every connection is made from the current `SSL_CTX`; `reload(certificateFile:keyFile:)` swaps
/// in a new one for new connections only, while live connections keep the one they started with
/// (OpenSSL reference-counts it). Safe to use from any thread.
///
/// Policy, modelled on uSockets `crypto/openssl.c` and Mozilla's "intermediate" profile:
/// - TLS 1.2 and 1.3 only (1.1 and older are refused during the handshake);
/// - TLS 1.2 ciphers: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305, nothing else;
/// - ALPN `http/1.1` (a client offering only other protocols proceeds without ALPN);
/// - no compression, no renegotiation; idle connections release OpenSSL's record buffers.
public final class TLSContext: Sendable {
    /// TLS 1.2 cipher suites (TLS 1.3 suites are listed in `tls13Suites`).
    public static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
    public static let tls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

    public let isServer: Bool
    /// For a client: whether server certificates and host names are verified.
    public let verifiesPeer: Bool
    private let current: Mutex<SSLContextHandle>

    /// A server context with the PEM certificate chain (leaf first) and PEM private key.
    ///
    /// - Throws: `TLSError` naming the file when it cannot be read or parsed, or when the key does
    ///   not belong to the certificate.
    public init(certificateFile: String, keyFile: String) throws(TLSError) {
        self.isServer = true
        self.verifiesPeer = false
        self.current = Mutex(try SSLContextHandle.server(certificateFile: certificateFile, keyFile: keyFile))
    }

    /// A client context (tests and tools).
    ///
    /// - Parameter trustedCertificateFile: PEM certificates to verify the server against; `nil`
    ///   skips verification (loopback tests with a self-signed certificate).
    ///   - versions: the versions to offer; a floor below 1.2 also lowers OpenSSL's security level
    ///     (only useful to check that a server refuses them).
    public convenience init(
        clientTrusting trustedCertificateFile: String? = nil,
        versions: ClosedRange<TLSVersion> = .tls12 ... .tls13
    ) throws(TLSError) {
        try self.init(clientTrust: trustedCertificateFile.map { .only(file: $0) } ?? .none, versions: versions)
    }

    /// A client context that accepts the server certificates `trust` allows. When it verifies,
    /// each connection made with a server name also checks that the certificate is for that name.
    public init(clientTrust trust: TLSClientTrust, versions: ClosedRange<TLSVersion> = .tls12 ... .tls13) throws(TLSError) {
        self.isServer = false
        self.verifiesPeer = trust.verifiesPeer
        self.current = Mutex(try SSLContextHandle.client(trust: trust, versions: versions))
    }

    /// Loads a new certificate and key and uses them for every connection made from now on.
    /// On failure nothing changes and the error says why.
    public func reload(certificateFile: String, keyFile: String) throws(TLSError) {
        precondition(self.isServer, "reload is for server contexts")
        let fresh = try SSLContextHandle.server(certificateFile: certificateFile, keyFile: keyFile)
        self.current.withLock { $0 = fresh }
    }

    /// A new connection engine from the current settings.
    ///
    /// - Parameter serverName: for a client, the host the connection is for: sent as SNI (unless
    ///   it is an IP address) and, when this context verifies, matched against the certificate.
    public func makeConnection(serverName: String? = nil) throws(TLSError) -> TLSConnection {
        let handle = self.current.withLock { $0 }
        return try TLSConnection(
            context: handle, isServer: self.isServer, serverName: serverName, verifyName: self.verifiesPeer)
    }
}

/// A TLS protocol version (clients may choose which to offer; servers always use 1.2…1.3).
public enum TLSVersion: Int, Comparable, Sendable {
    case tls11, tls12, tls13

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool { lhs.rawValue < rhs.rawValue }

    var openSSLValue: Int32 {
        switch self {
        case .tls11: copenssl_TLS1_1_VERSION()
        case .tls12: copenssl_TLS1_2_VERSION()
        case .tls13: copenssl_TLS1_3_VERSION()
        }
    }
}
