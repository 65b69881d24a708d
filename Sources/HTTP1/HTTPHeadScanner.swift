/// Finds the end of a request head (the empty line) while enforcing the size limits byte by byte,
/// so an oversized request line or header section fails as soon as it crosses the limit.
///
/// Positions are offsets from the first byte of the request; scanning resumes where it stopped,
/// so a head that arrives in many reads is scanned once in total.
struct HTTPHeadScanner {
    enum Result {
        /// The head ends just before `end` (the offset after its final CRLF CRLF).
        case complete(end: Int)
        case incomplete
    }

    /// Offset of the next byte to look at.
    private(set) var scanned = 0
    /// Offset of the LF that ends the request line, once seen.
    private(set) var requestLineEnd: Int?

    /// Scans `bytes` (the request so far, from its first byte) from where the last call stopped.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, limits: HTTPParserLimits) throws(HTTPParseError) -> Result {
        var i = self.scanned
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if let lineEnd = self.requestLineEnd {
                if i &- lineEnd > limits.maxHeaderBytes { throw .headersTooLarge }
                if byte == HTTPByte.lf {
                    guard bytes[i &- 1] == HTTPByte.cr else { throw .invalidLineEnding }
                    // bytes[i - 1] is CR, so the previous LF is at i - 2 at the latest, never before lineEnd.
                    if bytes[i &- 2] == HTTPByte.lf {
                        self.scanned = i &+ 1
                        return .complete(end: i &+ 1)
                    }
                }
            } else if byte == HTTPByte.lf {
                guard i > 0, bytes[i &- 1] == HTTPByte.cr else { throw .invalidLineEnding }
                self.requestLineEnd = i
            } else if i > limits.maxRequestLineBytes {
                throw .requestLineTooLong
            }
            i &+= 1
        }
        self.scanned = i
        return .incomplete
    }
}
