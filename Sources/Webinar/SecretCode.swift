import Foundation

/// Unguessable tokens: registration codes, host keys and public author ids.
///
/// Bytes come from `SystemRandomNumberGenerator` (getrandom(2), the kernel CSPRNG, on Linux) and are
/// written as base64url without padding (RFC 4648 §5), so they are safe in URLs and JSON as is.
public enum SecretCode {
    /// 128 bits: a registration code (22 characters).
    public static let codeBytes = 16
    /// 256 bits: a host key (43 characters).
    public static let hostKeyBytes = 32
    /// 96 bits: a public author id (16 characters); not a secret, only unguessable and unlinkable to the code.
    public static let authorIdBytes = 12

    /// A fresh token of `byteCount` random bytes.
    public static func generate(byteCount: Int = Self.codeBytes) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(byteCount + 8)
        while bytes.count < byteCount {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Self.base64url(bytes.prefix(byteCount))
    }

    /// A registration code (128 bits).
    public static func code() -> String { Self.generate(byteCount: Self.codeBytes) }

    /// A host key (256 bits).
    public static func hostKey() -> String { Self.generate(byteCount: Self.hostKeyBytes) }

    /// A public author id (96 bits).
    public static func authorId() -> String { Self.generate(byteCount: Self.authorIdBytes) }

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
