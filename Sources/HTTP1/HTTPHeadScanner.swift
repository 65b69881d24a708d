#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the end of a request head (the empty line) while enforcing the size limits, so an oversized
/// request line or header section fails as soon as it crosses the limit, even before its line ends.
///
/// Positions are offsets from the first byte of the request; scanning resumes where it stopped,
/// so a head that arrives in many reads is scanned once in total. Line feeds are found with `memchr`.
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
    /// Line feeds seen after the request line: the number of field lines plus one, once complete.
    private(set) var fieldLineFeeds = 0

    /// Scans `bytes` (the request so far, from its first byte) from where the last call stopped.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, limits: HTTPParserLimits) throws(HTTPParseError) -> Result {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return .incomplete }
        var i = self.scanned
        while i < count {
            guard let found = memchr(base + i, Int32(HTTPByte.lf), count - i) else {
                // No LF in the rest: only the limits can fail yet; the last byte is the furthest one.
                try self.checkLimits(lastByte: count - 1, limits: limits)
                self.scanned = count
                return .incomplete
            }
            let lf = base.distance(to: UnsafeRawPointer(found))
            // Everything before the LF belongs to the current line.
            if lf > 0 { try self.checkLimits(lastByte: lf - 1, limits: limits) }
            guard lf > 0, bytes[lf - 1] == HTTPByte.cr else { throw .invalidLineEnding }
            if let lineEnd = self.requestLineEnd {
                if lf - lineEnd > limits.maxHeaderBytes { throw .headersTooLarge }
                self.fieldLineFeeds += 1
                // bytes[lf - 1] is CR, so the previous LF is at lf - 2 at the latest, never before lineEnd.
                if bytes[lf - 2] == HTTPByte.lf {
                    self.scanned = lf + 1
                    return .complete(end: lf + 1)
                }
            } else {
                self.requestLineEnd = lf
            }
            i = lf + 1
        }
        self.scanned = i
        return .incomplete
    }

    /// Throws when the byte at `lastByte` (not an LF) lies beyond the request-line or header limit.
    private func checkLimits(lastByte: Int, limits: HTTPParserLimits) throws(HTTPParseError) {
        if let lineEnd = self.requestLineEnd {
            if lastByte - lineEnd > limits.maxHeaderBytes { throw .headersTooLarge }
        } else if lastByte > limits.maxRequestLineBytes {
            throw .requestLineTooLong
        }
    }
}
