import Foundation

/// An event's public name in URLs: `[a-z0-9][a-z0-9-]{0,63}`.
public enum Slug {
    public static let maxLength = 64

    /// Whether `slug` matches `[a-z0-9][a-z0-9-]{0,63}`.
    public static func isValid(_ slug: String) -> Bool {
        let bytes = Array(slug.utf8)
        guard let first = bytes.first, bytes.count <= Self.maxLength, Self.isAlnum(first) else { return false }
        return bytes.allSatisfy { Self.isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// `slug` unchanged when valid, else `invalid_field`.
    public static func validate(_ slug: String) throws(WebinarError) -> String {
        guard Self.isValid(slug) else {
            throw .invalidField(
                "slug", "The slug must be 1 to 64 lowercase letters, digits or dashes, starting with a letter or digit.")
        }
        return slug
    }

    /// A slug made from a title: accents dropped, lowercased, every run of other characters turned into one
    /// `-`, dashes trimmed, cut to 64. Falls back to `event` when nothing is left (e.g. a title with no Latin
    /// letters or digits).
    public static func derive(from title: String) -> String {
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var out: [UInt8] = []
        var pendingDash = false
        for byte in folded.utf8 {
            if Self.isAlnum(byte) {
                if pendingDash, !out.isEmpty { out.append(UInt8(ascii: "-")) }
                pendingDash = false
                out.append(byte)
                if out.count >= Self.maxLength { break }
            } else {
                pendingDash = true
            }
        }
        while out.last == UInt8(ascii: "-") { out.removeLast() }
        return out.isEmpty ? "event" : String(decoding: out, as: UTF8.self)
    }

    /// `base` cut so that `base-suffix` fits in 64 characters, for when the derived slug is taken.
    public static func suffixed(_ base: String, suffix: String) -> String {
        var head = String(base.prefix(Self.maxLength - suffix.count - 1))
        while head.hasSuffix("-") { head.removeLast() }
        return head.isEmpty ? suffix : "\(head)-\(suffix)"
    }

    /// A short random suffix of lowercase letters and digits (5 characters ≈ 26 bits).
    public static func randomSuffix<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// A short random suffix from the system generator.
    public static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return Self.randomSuffix(using: &generator)
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
