/// RFC 2045 §6.7 quoted-printable for text bodies: printable ASCII as is, everything else as `=XX`,
/// lines of at most 76 characters (soft breaks `=` CRLF), CRLF line ends, and trailing spaces encoded.
/// A line that starts with a dot is encoded (`=2E`), so SMTP dot-stuffing never has to touch it.
public enum QuotedPrintable {
    static let lineLimit = 76
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Encodes `text` (UTF-8); LF and CRLF line ends both become CRLF.
    public static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        let lines = text.replacingCRLF.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { out += [13, 10] }
            Self.encodeLine(Array(line.utf8), into: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func encodeLine(_ bytes: [UInt8], into out: inout [UInt8]) {
        var column = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let plain =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || (byte == UInt8(ascii: " ") && !isLast)
            let literal = plain && !(column == 0 && byte == UInt8(ascii: "."))
            let token: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)]]
            // Room for the token and, unless this is the line's end, a soft break after it.
            if column + token.count > Self.lineLimit - (isLast ? 0 : 1) {
                out += [UInt8(ascii: "="), 13, 10]
                column = 0
                if byte == UInt8(ascii: ".") {  // a dot at the start of the continuation line
                    out += [UInt8(ascii: "="), UInt8(ascii: "2"), UInt8(ascii: "E")]
                    column = 3
                    continue
                }
            }
            out += token
            column += token.count
        }
    }
}

extension String {
    /// CRLF and lone CR as LF.
    var replacingCRLF: String {
        self.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
}
