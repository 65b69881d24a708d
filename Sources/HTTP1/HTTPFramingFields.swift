/// Collects the header fields that decide message framing (Content-Length, Transfer-Encoding) and
/// Host while the head is parsed, then applies RFC 9112 §6.3 and §3.2 in one place.
struct HTTPFramingFields {
    private var contentLength: Int?
    private var chunkedCount = 0
    private var sawTransferEncoding = false
    private var hostCount = 0

    mutating func observe(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(HTTPParseError) {
        switch name.count {
        case 4 where HTTPByte.equalsIgnoringCase(name, "host"):
            self.hostCount += 1
        case 14 where HTTPByte.equalsIgnoringCase(name, "content-length"):
            try self.observeContentLength(value)
        case 17 where HTTPByte.equalsIgnoringCase(name, "transfer-encoding"):
            try self.observeTransferEncoding(value)
        default:
            break
        }
    }

    /// Checks the collected fields and returns the body framing.
    func finish(version: HTTPVersion, limits: HTTPParserLimits) throws(HTTPParseError) -> HTTPBodyFraming {
        if self.hostCount > 1 { throw .duplicateHost }
        if self.hostCount == 0, version != .http1_0 { throw .missingHost }
        if self.sawTransferEncoding {
            if version == .http1_0 { throw .transferEncodingInHTTP10 }
            if self.contentLength != nil { throw .contentLengthWithTransferEncoding }
            guard self.chunkedCount == 1 else { throw .invalidTransferEncoding }
            return .chunked
        }
        if let length = self.contentLength {
            guard length <= limits.maxBodyBytes else { throw .bodyTooLarge }
            return length == 0 ? .none : .length(length)
        }
        return .none
    }

    /// `Content-Length = 1*DIGIT`; a list of identical values (or repeated fields) is accepted.
    private mutating func observeContentLength(_ value: UnsafeRawBufferPointer) throws(HTTPParseError) {
        var i = 0
        repeat {
            while i < value.count, HTTPByte.isWhitespace(value[i]) { i += 1 }
            var n = 0
            var digits = 0
            while i < value.count, value[i] >= UInt8(ascii: "0"), value[i] <= UInt8(ascii: "9") {
                let (times10, o1) = n.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(value[i] - UInt8(ascii: "0")))
                n = o1 || o2 ? Int.max : sum  // saturate: anything this big is too large anyway
                digits += 1
                i += 1
            }
            while i < value.count, HTTPByte.isWhitespace(value[i]) { i += 1 }
            guard digits > 0, i == value.count || value[i] == HTTPByte.comma else { throw .invalidContentLength }
            if let previous = self.contentLength, previous != n { throw .conflictingContentLength }
            self.contentLength = n
            i += 1
        } while i <= value.count
    }

    /// Transfer codings are a comma-separated list; only `chunked` is implemented.
    private mutating func observeTransferEncoding(_ value: UnsafeRawBufferPointer) throws(HTTPParseError) {
        self.sawTransferEncoding = true
        var i = 0
        while i < value.count {
            var start = i
            while i < value.count, value[i] != HTTPByte.comma { i += 1 }
            var end = i
            while start < end, HTTPByte.isWhitespace(value[start]) { start += 1 }
            while end > start, HTTPByte.isWhitespace(value[end - 1]) { end -= 1 }
            if end > start {
                guard HTTPByte.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: value[start..<end]), "chunked")
                else {
                    throw .unsupportedTransferCoding
                }
                self.chunkedCount += 1
            }
            i += 1
        }
    }
}
