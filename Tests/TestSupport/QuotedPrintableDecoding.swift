import Foundation

/// RFC 2045 quoted-printable decoding for reading sent mail back in tests: soft breaks removed, `=XX`
/// decoded, CRLF kept as LF. The product only encodes, so the decoder lives with the tests.
public enum QuotedPrintableDecoding {
    public static func decode(_ text: String) -> String {
        let bytes = Array(text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "\r\n", with: "\n").utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                out.append(value)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
