public import WebSocket

/// One `permessage-deflate` offer from a client, validated (RFC 7692 §7.1).
///
/// A server MUST decline an offer that has a parameter not defined for offers, a parameter with an
/// invalid value, or the same parameter twice (§7.1); `init` throws `Refusal` for each of those, so
/// the negotiation can move on to the client's next offer.
public struct PerMessageDeflateOffer: Equatable, Sendable {
    /// `server_no_context_takeover` (§7.1.1.1): the client asks us to reset after every message.
    public var serverNoContextTakeover = false
    /// `client_no_context_takeover` (§7.1.1.2): the client will reset after every message.
    public var clientNoContextTakeover = false
    /// `server_max_window_bits=N` (§7.1.2.1): the largest LZ77 window the client can inflate.
    public var serverMaxWindowBits: Int?
    /// `client_max_window_bits` (§7.1.2.2) was offered, so the response may limit the client's window.
    public var acceptsClientMaxWindowBits = false
    /// The value of `client_max_window_bits`, if it had one: the client will not use a larger window.
    public var clientMaxWindowBits: Int?

    /// Why an offer was declined.
    public enum Refusal: Error, Equatable, Sendable {
        case notPermessageDeflate
        case unknownParameter(String)
        case duplicateParameter(String)
        case invalidValue(String)
    }

    public init() {}

    /// Validates one offer; throws when a server must decline it (§7.1).
    public init(_ offer: WebSocketExtensionOffer) throws(Refusal) {
        guard offer.name.lowercased() == PerMessageDeflate.extensionName else { throw .notPermessageDeflate }
        var seen: Set<String> = []
        for (rawName, value) in offer.parameters {
            let name = rawName.lowercased()
            guard seen.insert(name).inserted else { throw .duplicateParameter(name) }
            switch name {
            case "server_no_context_takeover":
                guard value == nil else { throw .invalidValue(name) }
                self.serverNoContextTakeover = true
            case "client_no_context_takeover":
                guard value == nil else { throw .invalidValue(name) }
                self.clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let bits = value.flatMap(Self.windowBits) else { throw .invalidValue(name) }
                self.serverMaxWindowBits = bits
            case "client_max_window_bits":
                if let value {
                    guard let bits = Self.windowBits(value) else { throw .invalidValue(name) }
                    self.clientMaxWindowBits = bits
                }
                self.acceptsClientMaxWindowBits = true
            default:
                throw .unknownParameter(name)
            }
        }
    }

    /// A window size value: `%x38-39 / "1" %x30-35`, i.e. "8" to "15" with no leading zero or sign
    /// (§7.1.2.1, §7.1.2.2). A quoted value arrives here already unquoted.
    static func windowBits(_ text: String) -> Int? {
        let utf8 = Array(text.utf8)
        guard (1...2).contains(utf8.count), utf8.allSatisfy({ (0x30...0x39).contains($0) }), utf8[0] != 0x30 else {
            return nil
        }
        guard let bits = Int(text), (8...15).contains(bits) else { return nil }
        return bits
    }
}
