/// The parameters both sides agreed on for one connection (RFC 7692 §7.1), as the server's
/// `Sec-WebSocket-Extensions` response states them.
public struct PerMessageDeflateAgreement: Equatable, Sendable {
    /// We reset our compressor after every message (§7.1.1.1). Always true in our answers, so one
    /// compressed broadcast frame is valid for every recipient.
    public var serverNoContextTakeover: Bool
    /// The client resets after every message (§7.1.1.2), so our inflater resets too.
    public var clientNoContextTakeover: Bool
    /// `server_max_window_bits` in the response (§7.1.2.1), nil when absent (15).
    public var serverMaxWindowBits: Int?
    /// `client_max_window_bits` in the response (§7.1.2.2), nil when absent (15).
    public var clientMaxWindowBits: Int?

    public init(
        serverNoContextTakeover: Bool = true, clientNoContextTakeover: Bool = false, serverMaxWindowBits: Int? = nil,
        clientMaxWindowBits: Int? = nil
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// The window our compressor may use. zlib cannot deflate with an 8-bit window (it refuses a
    /// raw 8); with 9 bits it never emits a distance over 512 − 262 = 250 bytes (`MAX_DIST`), so
    /// its output is valid for a peer that agreed to 8 (§7.1.2.1).
    public var compressionWindowBits: Int { max(9, self.serverMaxWindowBits ?? 15) }

    /// The window our inflater uses: at least what the client may use (§7.1.2.2); a larger window
    /// than the sender's is always safe, so 8 is inflated with 9 as well.
    public var decompressionWindowBits: Int { max(9, self.clientMaxWindowBits ?? 15) }

    /// The `Sec-WebSocket-Extensions` response value, e.g.
    /// `permessage-deflate; server_no_context_takeover; client_max_window_bits=10`.
    public var responseHeader: String {
        var text = PerMessageDeflate.extensionName
        if self.serverNoContextTakeover { text += "; server_no_context_takeover" }
        if self.clientNoContextTakeover { text += "; client_no_context_takeover" }
        if let bits = self.serverMaxWindowBits { text += "; server_max_window_bits=\(bits)" }
        if let bits = self.clientMaxWindowBits { text += "; client_max_window_bits=\(bits)" }
        return text
    }
}
