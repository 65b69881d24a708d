/// Percent-decoding of URL components (RFC 3986 §2.1), strict so that a malformed escape is an error
/// instead of being passed through: callers answer 400 or 404 rather than guess.
public enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as a space when `plusAsSpace`, as in form-encoded queries).
    /// - Returns: nil when an escape is not `%` followed by two hex digits, or the result is not valid UTF-8.
    public static func decode(_ s: Substring, plusAsSpace: Bool = false) -> String? {
        let utf8 = s.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(s)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let byte = utf8[i]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: i)
                guard high < utf8.endIndex else { return nil }
                let low = utf8.index(after: high)
                guard low < utf8.endIndex, let h = HTTPByte.hexValue(utf8[high]), let l = HTTPByte.hexValue(utf8[low])
                else { return nil }
                bytes.append(UInt8(h << 4 | l))
                i = utf8.index(after: low)
                continue
            }
            bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? HTTPByte.space : byte)
            i = utf8.index(after: i)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
