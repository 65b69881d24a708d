import COpenSSL

/// One TLS session driven entirely through memory: it never touches a descriptor.
///
/// The owner moves bytes: ciphertext from the socket goes into `feed(_:)`; `handshake()` and
/// `readPlaintext(into:)` turn it into progress and plaintext; `writePlaintext(_:)` and
/// `shutdown()` produce ciphertext, taken out with `drainCiphertext(into:)` and sent. Both BIOs are
/// OpenSSL memory BIOs that grow as needed; `compactBuffers()` gives back memory after a burst, so
/// an idle session holds only OpenSSL's small per-session state.
///
/// Not thread-safe: one owner (in the server, the connection's event loop) uses it at a time.
public final class TLSConnection {
    /// How a handshake step ended.
    public enum HandshakeResult: Equatable, Sendable {
        case complete
        /// More ciphertext from the peer is needed (send whatever `drainCiphertext` has first).
        case inProgress
    }

    /// What a read produced.
    public enum ReadResult: Equatable, Sendable {
        /// This many plaintext bytes were written to the front of the buffer.
        case bytes(Int)
        /// No whole record is buffered: feed more ciphertext.
        case wantRead
        /// The peer sent close_notify: it will send nothing more.
        case closed
    }

    /// BIO buffers that grew past this are replaced once drained (see `compactBuffers`).
    static let compactThreshold = 32 << 10

    private let ssl: OpaquePointer
    private let context: SSLContextHandle
    private var rbio: OpaquePointer
    private var wbio: OpaquePointer
    private var rbioHighWater = 0
    private var wbioHighWater = 0
    public private(set) var isHandshakeComplete = false
    public private(set) var isShutdownSent = false

    init(context: SSLContextHandle, isServer: Bool, serverName: String?, verifyName: Bool) throws(TLSError) {
        guard let ssl = SSL_new(context.pointer) else { throw TLSError.openSSL("SSL_new failed") }
        guard let rbio = Self.makeBIO(), let wbio = Self.makeBIO() else {
            SSL_free(ssl)
            throw TLSError.openSSL("BIO_new failed")
        }
        self.ssl = ssl
        self.context = context
        self.rbio = rbio
        self.wbio = wbio
        SSL_set_bio(ssl, rbio, wbio)  // the SSL owns both from here on
        if isServer {
            SSL_set_accept_state(ssl)
        } else {
            SSL_set_connect_state(ssl)
            if let serverName {
                try Self.name(ssl, serverName, verify: verifyName)
            }
        }
    }

    /// SNI for a host name (RFC 6066 forbids it for addresses) and, when verifying, the name or
    /// address the certificate must carry (checked by OpenSSL during the handshake).
    private static func name(_ ssl: OpaquePointer, _ serverName: String, verify: Bool) throws(TLSError) {
        let isAddress = serverName.contains(":") || serverName.allSatisfy { $0.isNumber || $0 == "." }
        if !isAddress { _ = copenssl_SSL_set_tlsext_host_name(ssl, serverName) }
        guard verify else { return }
        let param = SSL_get0_param(ssl)
        X509_VERIFY_PARAM_set_hostflags(param, copenssl_X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS())
        let set = isAddress ? X509_VERIFY_PARAM_set1_ip_asc(param, serverName) : X509_VERIFY_PARAM_set1_host(param, serverName, 0)
        // No SSL_free here: the instance is fully initialised, so its deinit frees the SSL.
        guard set == 1 else { throw TLSError.openSSL("cannot verify the server name \(serverName)") }
    }

    deinit {
        SSL_free(self.ssl)
    }

    private static func makeBIO() -> OpaquePointer? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        _ = copenssl_BIO_set_mem_eof_return(bio, -1)  // empty means "retry", never EOF
        return bio
    }

    // MARK: Ciphertext in and out

    /// Hands ciphertext received from the peer to the engine (copied).
    public func feed(_ ciphertext: UnsafeRawBufferPointer) {
        guard let base = ciphertext.baseAddress, ciphertext.count > 0 else { return }
        var offset = 0
        while offset < ciphertext.count {
            let chunk = Int32(clamping: ciphertext.count - offset)
            let written = BIO_write(self.rbio, base + offset, chunk)
            guard written > 0 else { break }  // allocation failure; the next read will fail the session
            offset += Int(written)
        }
        self.rbioHighWater = max(self.rbioHighWater, copenssl_BIO_ctrl_pending(self.rbio))
    }

    /// Ciphertext waiting to be sent to the peer.
    public var pendingCiphertextCount: Int { copenssl_BIO_ctrl_pending(self.wbio) }

    /// Moves up to `buffer.count` bytes of pending ciphertext into `buffer`; returns how many.
    public func drainCiphertext(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let read = BIO_read(self.wbio, base, Int32(clamping: buffer.count))
        return read > 0 ? Int(read) : 0
    }

    /// All pending ciphertext, as an array (tests and simple clients).
    public func drainCiphertext() -> [UInt8] {
        let count = self.pendingCiphertextCount
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = self.drainCiphertext(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    // MARK: Handshake, plaintext, close

    /// Advances the handshake with whatever has been fed.
    ///
    /// - Throws: `TLSError` when the peer is not speaking acceptable TLS (plaintext HTTP, garbage,
    ///   an old protocol version, no shared cipher). An alert may be pending in the ciphertext.
    public func handshake() throws(TLSError) -> HandshakeResult {
        if self.isHandshakeComplete { return .complete }
        ERR_clear_error()
        let result = SSL_do_handshake(self.ssl)
        if result == 1 {
            self.isHandshakeComplete = true
            return .complete
        }
        switch SSL_get_error(self.ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .inProgress
        default:
            throw TLSError.openSSL("TLS handshake failed", detail: self.verifyFailure)
        }
    }

    /// Why the peer's certificate was refused (`self-signed certificate`, `hostname mismatch`),
    /// or nil when it was accepted or not checked.
    public var verifyFailure: String? {
        let result = SSL_get_verify_result(self.ssl)
        guard result != copenssl_X509_V_OK(), let text = X509_verify_cert_error_string(result) else { return nil }
        return String(cString: text)
    }

    /// Decrypts buffered records into `buffer`.
    public func readPlaintext(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> ReadResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .wantRead }
        ERR_clear_error()
        let result = SSL_read(self.ssl, base, Int32(clamping: buffer.count))
        if result > 0 { return .bytes(Int(result)) }
        switch SSL_get_error(self.ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .wantRead
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        default:
            throw TLSError.openSSL("TLS read failed")
        }
    }

    /// Encrypts `bytes` into pending ciphertext (records of at most 16 KiB). Call only once the
    /// handshake is complete.
    public func writePlaintext(_ bytes: UnsafeRawBufferPointer) throws(TLSError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let result = SSL_write(self.ssl, base + offset, Int32(clamping: bytes.count - offset))
            guard result > 0 else { throw TLSError.openSSL("TLS write failed") }
            offset += Int(result)
        }
        self.wbioHighWater = max(self.wbioHighWater, copenssl_BIO_ctrl_pending(self.wbio))
    }

    /// Queues close_notify (once). The peer's own close_notify arrives as `ReadResult.closed`.
    public func shutdown() {
        guard !self.isShutdownSent else { return }
        self.isShutdownSent = true
        guard self.isHandshakeComplete else { return }
        ERR_clear_error()
        _ = SSL_shutdown(self.ssl)
        ERR_clear_error()
    }

    /// Replaces a memory BIO whose buffer grew past `compactThreshold` during a burst (a large
    /// message), carrying over any bytes still in it: memory BIOs never shrink by themselves.
    public func compactBuffers() {
        if self.rbioHighWater > Self.compactThreshold {
            let leftover = copenssl_BIO_ctrl_pending(self.rbio)
            if leftover <= Self.compactThreshold, let fresh = Self.makeBIO() {
                if leftover > 0 {
                    var bytes = [UInt8](repeating: 0, count: leftover)
                    let moved = bytes.withUnsafeMutableBytes { BIO_read(self.rbio, $0.baseAddress, Int32(leftover)) }
                    _ = bytes.withUnsafeBytes { BIO_write(fresh, $0.baseAddress, moved) }
                }
                SSL_set0_rbio(self.ssl, fresh)  // frees the old one
                self.rbio = fresh
                self.rbioHighWater = leftover
            }
        }
        if self.wbioHighWater > Self.compactThreshold && copenssl_BIO_ctrl_pending(self.wbio) == 0,
            let fresh = Self.makeBIO()
        {
            SSL_set0_wbio(self.ssl, fresh)
            self.wbio = fresh
            self.wbioHighWater = 0
        }
    }

    // MARK: Negotiated parameters

    /// The ALPN protocol agreed on (`http/1.1`), if any.
    public var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>? = nil
        var length: UInt32 = 0
        SSL_get0_alpn_selected(self.ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// `TLSv1.3` or `TLSv1.2`.
    public var protocolVersion: String {
        String(cString: SSL_get_version(self.ssl))
    }

    /// The peer certificate's subject, e.g. `CN=localhost` (a client checking which certificate a
    /// server presents).
    public var peerCertificateSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(self.ssl) else { return nil }
        defer { X509_free(certificate) }
        guard let name = X509_get_subject_name(certificate), let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, copenssl_XN_FLAG_RFC2253()) >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: copenssl_BIO_ctrl_pending(bio))
        let count = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
        return String(decoding: bytes.prefix(max(Int(count), 0)), as: UTF8.self)
    }

    /// The cipher suite in use, e.g. `TLS_AES_128_GCM_SHA256`.
    public var cipherName: String? {
        SSL_get_current_cipher(self.ssl).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) }
    }
}

@available(*, unavailable)
extension TLSConnection: Sendable {}
