public import WebSocket

/// permessage-deflate (RFC 7692 §7): negotiation and the server's settings.
public enum PerMessageDeflate {
    public static let extensionName = "permessage-deflate"

    /// Below this many payload bytes a message goes out uncompressed. Measured on the live JSON
    /// messages (docs/benchmarks.md, "permessage-deflate"), each compressed on its own as the
    /// server sends them: under 48 bytes DEFLATE makes the frame longer, from 48 to 111 bytes it
    /// saves 3–10 bytes (6–9 %) for a few µs of CPU on both ends, from 112 bytes on it saves 14 %
    /// and more (30 % at 200 bytes, 55 % at 1 KiB).
    public static let defaultMinimumMessageBytes = 112

    /// What the server asks for and how it compresses.
    public struct Configuration: Sendable, Equatable {
        /// Ask clients that support it (§7.1.2.2) to use at most this window, so their messages
        /// inflate with less memory; nil leaves the client's choice (15 unless it says otherwise).
        public var clientMaxWindowBits: Int?
        /// zlib level 1…9; 6 is zlib's default.
        public var compressionLevel: Int
        /// zlib memLevel 1…9 (deflate state is 2^(memLevel+9) bytes plus twice the window).
        public var memoryLevel: Int
        /// Messages shorter than this go out uncompressed.
        public var minimumMessageBytes: Int

        public init(
            clientMaxWindowBits: Int? = nil, compressionLevel: Int = 6, memoryLevel: Int = 8,
            minimumMessageBytes: Int = PerMessageDeflate.defaultMinimumMessageBytes
        ) {
            self.clientMaxWindowBits = clientMaxWindowBits.map { min(15, max(8, $0)) }
            self.compressionLevel = min(9, max(1, compressionLevel))
            self.memoryLevel = min(9, max(1, memoryLevel))
            self.minimumMessageBytes = max(0, minimumMessageBytes)
        }
    }

    /// Accepts the first offer we can honour (RFC 7692 §5, §7.1): offers for other extensions and
    /// malformed `permessage-deflate` offers are declined, the next one is tried. The answer always
    /// includes `server_no_context_takeover` (§7.1.1.1 lets a server add it), echoes
    /// `client_no_context_takeover` when offered, keeps an offered `server_max_window_bits`, and
    /// states `client_max_window_bits` only when the client offered it (§7.1.2.2).
    public static func negotiate(
        _ offers: [WebSocketExtensionOffer], configuration: Configuration = .init()
    ) -> PerMessageDeflateAgreement? {
        for offer in offers {
            guard let valid = try? PerMessageDeflateOffer(offer) else { continue }
            return self.accept(valid, configuration: configuration)
        }
        return nil
    }

    /// The answer to one valid offer. Every valid offer can be honoured: any window from 8 to 15
    /// (8 served by 9, see `PerMessageDeflateAgreement.compressionWindowBits`), either takeover.
    static func accept(
        _ offer: PerMessageDeflateOffer, configuration: Configuration
    ) -> PerMessageDeflateAgreement {
        var clientBits: Int?
        if offer.acceptsClientMaxWindowBits {
            switch (offer.clientMaxWindowBits, configuration.clientMaxWindowBits) {
            case (let offered?, let wanted?): clientBits = min(offered, wanted)
            case (let offered?, nil): clientBits = offered
            case (nil, let wanted?): clientBits = wanted
            case (nil, nil): clientBits = nil
            }
        }
        return PerMessageDeflateAgreement(
            serverNoContextTakeover: true,
            clientNoContextTakeover: offer.clientNoContextTakeover,
            serverMaxWindowBits: offer.serverMaxWindowBits,
            clientMaxWindowBits: clientBits)
    }
}
