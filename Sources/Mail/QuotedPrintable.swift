import Foundation

/// RFC 2045 §6.7 quoted-printable for text bodies: printable ASCII as is, everything else as `=XX`,
/// lines of at most 76 characters (soft breaks `=` CRLF), CRLF line ends, and trailing spaces encoded.
/// A line that starts with a dot is encoded (`=2E`), so SMTP dot-stuffing never has to touch it.
public enum QuotedPrintable {
    static let lineLimit = 76
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Encodes `text` (UTF-8); LF, CRLF and a lone CR all end a line, written as CRLF.
    ///
    /// One pass over the UTF-8 bytes into one buffer: the sender renders every message with it.
    public static func encode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 10 || bytes[index] == 13 else {
                index += 1
                continue
            }
            Self.encodeLine(bytes[lineStart..<index], into: &out)
            out += [13, 10]
            if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 { index += 1 }
            index += 1
            lineStart = index
        }
        Self.encodeLine(bytes[lineStart...], into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func encodeLine(_ bytes: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var column = 0
        for index in bytes.indices {
            let byte = bytes[index]
            let isLast = index == bytes.endIndex - 1
            let plain =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || (byte == UInt8(ascii: " ") && !isLast)
            let literal = plain && !(column == 0 && byte == UInt8(ascii: "."))
            let width = literal ? 1 : 3
            // Room for the token and, unless this is the line's end, a soft break after it.
            if column + width > Self.lineLimit - (isLast ? 0 : 1) {
                out += [UInt8(ascii: "="), 13, 10]
                column = 0
                if byte == UInt8(ascii: ".") {  // a dot at the start of the continuation line
                    out += [UInt8(ascii: "="), UInt8(ascii: "2"), UInt8(ascii: "E")]
                    column = 3
                    continue
                }
            }
            if literal {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "="))
                out.append(Self.hex[Int(byte >> 4)])
                out.append(Self.hex[Int(byte & 15)])
            }
            column += width
        }
    }
}

extension String {
    /// CRLF and lone CR as LF.
    var replacingCRLF: String {
        self.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
}
