/// The DATA phase's byte rules (RFC 5321 §4.5.2): every line that starts with a dot gets a second one,
/// the message ends with CRLF, and `.` CRLF closes it.
enum SMTPData {
    static func encode(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 64 + 8)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !(out.count >= 2 && out[out.count - 2] == 13 && out[out.count - 1] == 10) { out += [13, 10] }
        out += [UInt8(ascii: "."), 13, 10]
        return out
    }
}
