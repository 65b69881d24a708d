import COpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// Owns one `SSL_CTX` reference. `@unchecked Sendable`: an `SSL_CTX` is only configured before
/// the handle is shared, and OpenSSL makes `SSL_new` on a shared context thread-safe.
final class SSLContextHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        SSL_CTX_free(self.pointer)
    }

    /// The ALPN list a server accepts, in wire format (length-prefixed names).
    nonisolated(unsafe) static let serverALPN: UnsafeMutableBufferPointer<UInt8> = {
        let wire: [UInt8] = [8] + Array("http/1.1".utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: wire.count)
        _ = buffer.initialize(from: wire)
        return buffer
    }()

    static func server(certificateFile: String, keyFile: String) throws(TLSError) -> SSLContextHandle {
        let handle = try Self.make(method: TLS_server_method(), versions: .tls12 ... .tls13)
        let ctx = handle.pointer
        try Self.requireReadable(certificateFile, what: "TLS certificate file")
        try Self.requireReadable(keyFile, what: "TLS key file")
        guard SSL_CTX_use_certificate_chain_file(ctx, certificateFile) == 1 else {
            throw TLSError.openSSL("cannot load the TLS certificate chain from \(certificateFile) (PEM expected)")
        }
        guard let bio = BIO_new_file(keyFile, "r") else {
            throw TLSError.openSSL("cannot open the TLS key file \(keyFile)")
        }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw TLSError.openSSL("cannot load a private key from \(keyFile) (unencrypted PEM expected)")
        }
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(ctx, key) == 1, SSL_CTX_check_private_key(ctx) == 1 else {
            _ = TLSError.drainErrorQueue()
            throw TLSError("the private key in \(keyFile) does not match the certificate in \(certificateFile)")
        }
        SSL_CTX_set_alpn_select_cb(ctx, alpnSelect, nil)
        _ = copenssl_SSL_CTX_set_session_cache_mode(ctx, copenssl_SSL_SESS_CACHE_SERVER())
        return handle
    }

    static func client(trust: TLSClientTrust, versions: ClosedRange<TLSVersion>) throws(TLSError) -> SSLContextHandle {
        let handle = try Self.make(method: TLS_client_method(), versions: versions)
        let ctx = handle.pointer
        switch trust {
        case .none:
            break
        case .system(let additionalFile):
            guard SSL_CTX_set_default_verify_paths(ctx) == 1 else {
                throw TLSError.openSSL("cannot load the system's trusted certificates")
            }
            if let additionalFile { try Self.loadTrusted(ctx, additionalFile) }
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        case .only(let file):
            try Self.loadTrusted(ctx, file)
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        }
        // Note the inverted convention: 0 is success.
        guard SSL_CTX_set_alpn_protos(ctx, Self.serverALPN.baseAddress, UInt32(Self.serverALPN.count)) == 0 else {
            throw TLSError.openSSL("cannot set ALPN")
        }
        return handle
    }

    private static func loadTrusted(_ ctx: OpaquePointer, _ file: String) throws(TLSError) {
        try Self.requireReadable(file, what: "trusted certificate file")
        guard SSL_CTX_load_verify_locations(ctx, file, nil) == 1 else {
            throw TLSError.openSSL("cannot load trusted certificates from \(file) (PEM expected)")
        }
    }

    private static func make(method: OpaquePointer?, versions: ClosedRange<TLSVersion>) throws(TLSError)
        -> SSLContextHandle
    {
        guard let ctx = SSL_CTX_new(method) else { throw TLSError.openSSL("SSL_CTX_new failed") }
        let handle = SSLContextHandle(pointer: ctx)
        let legacy = versions.lowerBound < .tls12
        if legacy {
            // Only tests ask for 1.1 (to check that servers refuse it); OpenSSL 3 needs level 0 for it.
            SSL_CTX_set_security_level(ctx, 0)
        }
        guard copenssl_SSL_CTX_set_min_proto_version(ctx, versions.lowerBound.openSSLValue) == 1,
            copenssl_SSL_CTX_set_max_proto_version(ctx, versions.upperBound.openSSLValue) == 1
        else { throw TLSError.openSSL("cannot restrict TLS versions") }
        let cipherList = legacy ? "DEFAULT:@SECLEVEL=0" : TLSContext.tls12Ciphers
        guard SSL_CTX_set_cipher_list(ctx, cipherList) == 1,
            SSL_CTX_set_ciphersuites(ctx, TLSContext.tls13Suites) == 1
        else { throw TLSError.openSSL("cannot set the cipher list") }
        _ = copenssl_SSL_CTX_set_options(ctx, Int(bitPattern: UInt(copenssl_SSL_server_options())))
        _ = copenssl_SSL_CTX_set_mode(ctx, copenssl_SSL_MODE_RELEASE_BUFFERS())
        return handle
    }

    private static func requireReadable(_ path: String, what: String) throws(TLSError) {
        guard access(path, R_OK) == 0 else {
            throw TLSError("cannot read the \(what) \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// Picks `http/1.1` when the client offers it; otherwise the handshake goes on without ALPN.
private func alpnSelect(
    _ ssl: OpaquePointer?,
    _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
    _ outLength: UnsafeMutablePointer<UInt8>?,
    _ offered: UnsafePointer<UInt8>?,
    _ offeredLength: UInt32,
    _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    var selected: UnsafeMutablePointer<UInt8>? = nil
    var selectedLength: UInt8 = 0
    let result = SSL_select_next_proto(
        &selected, &selectedLength,
        SSLContextHandle.serverALPN.baseAddress, UInt32(SSLContextHandle.serverALPN.count),
        offered, offeredLength)
    guard result == OPENSSL_NPN_NEGOTIATED, let selected else { return SSL_TLSEXT_ERR_NOACK }
    out?.pointee = UnsafePointer(selected)
    outLength?.pointee = selectedLength
    return SSL_TLSEXT_ERR_OK
}
