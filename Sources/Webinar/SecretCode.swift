import COpenSSL
import Foundation

/// Unguessable tokens: admin tokens, host keys, ticket codes and public author ids.
///
/// Every secret is made by `make(_:)`: a fixed prefix naming its kind (`bch_admin_`, `bch_host_`,
/// `bch_t_`, `bch_r_`), then random letters and digits. The prefix means a secret never starts with `-` (a
/// command line would read it as a flag), tells a person what they are holding, and lets secret
/// scanners find leaked ones (`secretPattern`). Letters and digits only, so a double click selects
/// the whole secret and it needs no escaping in URLs, JSON or a shell.
///
/// Secrets made before the prefixes (plain base64url) still work: only hashes or exact codes are
/// compared, never the format.
///
/// Bytes come from `SystemRandomNumberGenerator` (getrandom(2), the kernel CSPRNG, on Linux).
public enum SecretCode {
    /// What a secret is for; its prefix and length follow from it.
    public enum Kind: Sendable, CaseIterable {
        /// The admin bearer token: 256 bits.
        case adminToken
        /// An event's host key: 256 bits.
        case hostKey
        /// A registration's ticket code, in the ticket page's URL: 128 bits.
        case ticketCode
        /// A one-time link that gives a registration a new ticket code (``MailKind/ticketLink``): 128 bits.
        case recoveryToken

        public var prefix: String {
            switch self {
            case .adminToken: "bch_admin_"
            case .hostKey: "bch_host_"
            case .ticketCode: "bch_t_"
            case .recoveryToken: "bch_r_"
            }
        }

        /// Random characters after the prefix: 43 carry 256 bits, 22 carry 128 (5.95 bits each).
        public var randomLength: Int {
            switch self {
            case .adminToken, .hostKey: 43
            case .ticketCode, .recoveryToken: 22
            }
        }
    }

    /// A regular expression matching every kind, for secret scanners (e.g. a pre-commit hook).
    public static let secretPattern = "bch_(admin|host)_[0-9A-Za-z]{43}|bch_[tr]_[0-9A-Za-z]{22}"

    /// 96 bits: a public author id (16 characters); not a secret, only unguessable and unlinkable to the code.
    public static let authorIdBytes = 12

    /// A fresh secret of this kind: its prefix, then `kind.randomLength` uniform letters and digits.
    public static func make(_ kind: Kind) -> String {
        var generator = SystemRandomNumberGenerator()
        var text = Array(kind.prefix.utf8)
        text.reserveCapacity(text.count + kind.randomLength)
        var remaining = kind.randomLength
        while remaining > 0 {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes in
                // 248 = 4 × 62: dropping 248…255 keeps every character equally likely.
                for byte in bytes where remaining > 0 && byte < 248 {
                    text.append(Self.base62[Int(byte % 62)])
                    remaining -= 1
                }
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `text` has the shape `make(kind)` gives (prefix, length, alphabet). Older secrets
    /// without a prefix do not, yet still verify: this is for telling kinds apart, not for checking.
    public static func looksLike(_ text: String, kind: Kind) -> Bool {
        guard text.hasPrefix(kind.prefix) else { return false }
        let random = text.utf8.dropFirst(kind.prefix.utf8.count)
        return random.count == kind.randomLength && random.allSatisfy { Self.base62.contains($0) }
    }

    /// The SHA-256 of `secret` in lowercase hex: what the stores keep instead of a host key or a ticket
    /// code. Secrets carry 128 bits or more of randomness, so a fast unsalted hash cannot be reversed.
    public static func hash(_ secret: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let bytes = Array(secret.utf8)
        _ = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { SHA256(input.baseAddress, input.count, $0.baseAddress) }
        }
        var hex = [UInt8]()
        hex.reserveCapacity(digest.count * 2)
        for byte in digest {
            hex.append(Self.hexDigits[Int(byte >> 4)])
            hex.append(Self.hexDigits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A public author id (96 bits, base64url).
    public static func authorId() -> String { Self.generate(byteCount: Self.authorIdBytes) }

    /// `byteCount` random bytes as base64url without padding (RFC 4648 §5).
    public static func generate(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(byteCount + 8)
        while bytes.count < byteCount {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Self.base64url(bytes.prefix(byteCount))
    }

    static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url without padding.
    static func base64url(_ bytes: some Collection<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                out.append(Self.alphabet[Int((buffer >> UInt32(bits)) & 0x3F)])
            }
        }
        if bits > 0 { out.append(Self.alphabet[Int((buffer << UInt32(6 - bits)) & 0x3F)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
