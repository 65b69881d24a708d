/// Decodes a chunked body (RFC 9112 §7.1) byte by byte, so it needs no buffer of its own:
/// `chunk-size [; ext] CRLF data CRLF … 0 CRLF *(trailer-field CRLF) CRLF`.
///
/// Chunk data is appended to the caller's body; extensions and trailer fields are checked and dropped.
/// The total is checked against `maxBodyBytes` as soon as each chunk size is known.
///
/// Related RFC documentation: <https://www.rfc-editor.org/rfc/rfc9112#section-7.1>
struct ChunkedBodyDecoder {
    private enum State {
        case size, sizeWhitespace, extensions, sizeLF
        case data, dataCR, dataLF
        case trailerLineStart, trailerLine, trailerLF, finalLF
    }

    /// Longest chunk-size line accepted, extensions included.
    static let maxSizeLineBytes = 4096

    private var state = State.size
    private var size = 0
    private var sizeDigits = 0
    private var lineBytes = 0
    private var remaining = 0
    private var trailerBytes = 0

    /// Decodes from `bytes`, appending chunk data to `body`.
    /// - Returns: how many bytes were consumed and whether the body ended (the decoder stops right after it).
    mutating func decode(
        _ bytes: UnsafeRawBufferPointer,
        into body: inout [UInt8],
        limits: HTTPParserLimits
    ) throws(HTTPParseError) -> (consumed: Int, done: Bool) {
        var i = 0
        while i < bytes.count {
            if self.state == .data {
                let n = min(self.remaining, bytes.count - i)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + n)]))
                self.remaining -= n
                i += n
                if self.remaining == 0 { self.state = .dataCR }
                continue
            }
            let byte = bytes[i]
            i += 1
            if try self.step(byte, bodyCount: body.count, limits: limits) { return (i, true) }
        }
        return (i, false)
    }

    /// Advances by one byte outside chunk data; returns true when the body is complete.
    private mutating func step(_ byte: UInt8, bodyCount: Int, limits: HTTPParserLimits) throws(HTTPParseError) -> Bool {
        switch self.state {
        case .size, .sizeWhitespace, .extensions:
            self.lineBytes += 1
            guard self.lineBytes <= Self.maxSizeLineBytes else { throw .chunkLineTooLong }
            try self.sizeLine(byte)
        case .sizeLF:
            guard byte == HTTPByte.lf else { throw .invalidLineEnding }
            if self.size == 0 {
                self.state = .trailerLineStart
            } else {
                guard self.size <= limits.maxBodyBytes - bodyCount else { throw .bodyTooLarge }
                self.remaining = self.size
                self.state = .data
            }
        case .data:
            preconditionFailure("chunk data is copied in bulk")
        case .dataCR:
            guard byte == HTTPByte.cr else { throw .invalidChunkTerminator }
            self.state = .dataLF
        case .dataLF:
            guard byte == HTTPByte.lf else { throw .invalidChunkTerminator }
            self.size = 0
            self.sizeDigits = 0
            self.lineBytes = 0
            self.state = .size
        case .trailerLineStart, .trailerLine:
            self.trailerBytes += 1
            guard self.trailerBytes <= limits.maxHeaderBytes else { throw .headersTooLarge }
            if byte == HTTPByte.cr {
                self.state = self.state == .trailerLineStart ? .finalLF : .trailerLF
            } else {
                guard byte != HTTPByte.lf else { throw .invalidLineEnding }
                guard HTTPByte.isFieldValueChar(byte) else { throw .invalidTrailer }
                self.state = .trailerLine
            }
        case .trailerLF:
            guard byte == HTTPByte.lf else { throw .invalidLineEnding }
            self.state = .trailerLineStart
        case .finalLF:
            guard byte == HTTPByte.lf else { throw .invalidLineEnding }
            return true
        }
        return false
    }

    /// `chunk-size = 1*HEXDIG`, then optional `BWS ; chunk-ext`, then CR.
    private mutating func sizeLine(_ byte: UInt8) throws(HTTPParseError) {
        switch self.state {
        case .size:
            if let digit = HTTPByte.hexValue(byte) {
                // Leading zeros are fine; a 16th significant digit would overflow.
                guard self.size <= (Int.max >> 4) else { throw .invalidChunkSize }
                self.size = self.size << 4 | digit
                self.sizeDigits += 1
                return
            }
            guard self.sizeDigits > 0 else { throw .invalidChunkSize }
            try self.afterSize(byte)
        case .sizeWhitespace:
            try self.afterSize(byte)
        default:  // .extensions
            if byte == HTTPByte.cr {
                self.state = .sizeLF
            } else {
                guard byte != HTTPByte.lf else { throw .invalidLineEnding }
                guard HTTPByte.isFieldValueChar(byte) else { throw .invalidChunkExtension }
            }
        }
    }

    private mutating func afterSize(_ byte: UInt8) throws(HTTPParseError) {
        switch byte {
        case HTTPByte.cr: self.state = .sizeLF
        case HTTPByte.semicolon: self.state = .extensions
        case HTTPByte.space, HTTPByte.tab: self.state = .sizeWhitespace
        case HTTPByte.lf: throw .invalidLineEnding
        default: throw .invalidChunkSize
        }
    }
}
