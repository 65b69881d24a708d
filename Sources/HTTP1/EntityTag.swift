/// Strong entity tags for static content and `If-None-Match` evaluation (RFC 9110 §8.8.3, §13.1.2).
enum EntityTag {
    /// A strong tag: the quoted hex of a 64-bit FNV-1a hash of the content.
    /// Not cryptographic, and it need not be: it only has to change when the file changes.
    static func strong(for bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return "\"\(Self.hex(hash))\""
    }

    /// A tag for another representation of the same content (e.g. its gzip form): `"abc"` → `"abc-gz"`.
    static func variant(of etag: String, suffix: String) -> String {
        "\(etag.dropLast())-\(suffix)\""
    }

    /// Whether any `If-None-Match` field value lists `etag` or `*`, comparing weakly (a `W/` prefix is ignored).
    static func ifNoneMatch(_ fieldValues: [String], matches etag: String) -> Bool {
        let wanted = Self.opaque(etag[...])
        for value in fieldValues {
            var rest = value[...]
            while !rest.isEmpty {
                rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
                if rest.first == "*" { return true }
                if rest.hasPrefix("W/") { rest = rest.dropFirst(2) }
                guard rest.first == "\"" else {
                    rest = rest.drop { $0 != "," }  // not an entity tag: skip this element
                    continue
                }
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: "\"") else { break }
                if body[..<close] == wanted { return true }
                rest = body[body.index(after: close)...]
            }
        }
        return false
    }

    /// The opaque tag inside the quotes of `"…"` or `W/"…"`.
    private static func opaque(_ tag: Substring) -> Substring {
        var tag = tag
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.count >= 2, tag.first == "\"", tag.last == "\"" { return tag.dropFirst().dropLast() }
        return tag
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
