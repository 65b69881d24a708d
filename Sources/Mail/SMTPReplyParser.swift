/// Turns the bytes an SMTP server sends into replies: pure code, no I/O, fed in any slicing.
///
/// A reply is one or more lines `ddd-text` ending with a line `ddd text` or `ddd` (RFC 5321 §4.2.1);
/// every line of one reply must carry the same code. Lines end with CRLF; a bare LF is accepted too
/// (some servers send it), a NUL or a line longer than ``maxLineBytes`` is an error, and so is a reply of
/// more than ``maxLines`` lines: a broken or hostile server cannot make the client buffer without bound.
public struct SMTPReplyParser: Sendable {
    /// RFC 5321 §4.5.3.1.5 allows reply lines of 512 octets; we accept twice that.
    public static let maxLineBytes = 1024
    public static let maxLines = 100

    private var buffer: [UInt8] = []
    private var start = 0
    private var lines: [String] = []
    private var code: Int?

    public init() {}

    /// Bytes received, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        self.buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, or nil until more bytes arrive.
    ///
    /// - Throws: ``SMTPError`` (a protocol error) when the bytes are not SMTP replies; the parser is then
    ///   unusable and the connection should be closed.
    public mutating func next() throws(SMTPError) -> SMTPReply? {
        while true {
            guard let newline = self.buffer[self.start...].firstIndex(of: UInt8(ascii: "\n")) else {
                if self.buffer.count - self.start > Self.maxLineBytes {
                    throw .protocolError("a reply line longer than \(Self.maxLineBytes) bytes")
                }
                self.compact()
                return nil
            }
            var end = newline
            if end > self.start, self.buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = self.buffer[self.start..<end]
            self.start = newline + 1
            guard line.count <= Self.maxLineBytes else {
                throw .protocolError("a reply line longer than \(Self.maxLineBytes) bytes")
            }
            let (code, isLast, text) = try Self.parseLine(line)
            if let expected = self.code, expected != code {
                throw .protocolError("a multi-line reply changed its code from \(expected) to \(code)")
            }
            self.code = code
            self.lines.append(text)
            guard self.lines.count <= Self.maxLines else {
                throw .protocolError("a reply of more than \(Self.maxLines) lines")
            }
            if isLast {
                let reply = SMTPReply(code: code, lines: self.lines)
                self.lines = []
                self.code = nil
                return reply
            }
        }
    }

    /// Whether bytes of an unfinished reply are waiting (a server that stops mid-reply).
    public var hasPartialReply: Bool { self.start < self.buffer.count || !self.lines.isEmpty }

    private mutating func compact() {
        guard self.start > 0 else { return }
        self.buffer.removeFirst(self.start)
        self.start = 0
    }

    /// `250-text`, `250 text` or `250`: the code, whether it is the last line, and the text.
    private static func parseLine(_ line: ArraySlice<UInt8>) throws(SMTPError) -> (Int, Bool, String) {
        let bytes = Array(line)
        func show() -> String {
            let printable = bytes.prefix(60).map { (0x20..<0x7f).contains($0) ? Character(Unicode.Scalar($0)) : "?" }
            return "\"" + String(printable) + (bytes.count > 60 ? "…" : "") + "\""
        }
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(bytes[0])
        else { throw .protocolError("not an SMTP reply line: \(show())") }
        guard !bytes.contains(0) else { throw .protocolError("a NUL byte in a reply line") }
        let code = bytes[0...2].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        if bytes.count == 3 { return (code, true, "") }
        let separator = bytes[3]
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw .protocolError("not an SMTP reply line: \(show())")
        }
        let text = String(decoding: bytes[4...], as: UTF8.self)
        return (code, separator == UInt8(ascii: " "), text)
    }
}
