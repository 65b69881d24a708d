import HTTP1
import Testing

/// One test per malformed input: the specific error, its status, and the same outcome byte by byte.
@Suite("HTTPRequestParser: malformed requests")
struct HTTPRequestParserErrorTests {
    static let host = "Host: a\r\n"

    func expect(
        _ raw: String,
        _ error: HTTPParseError,
        _ status: Int,
        limits: HTTPParserLimits = .init(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let got = parseError(Array(raw), limits: limits)
        #expect(got == error, "got \(String(describing: got))", sourceLocation: sourceLocation)
        #expect(got?.status.code == status, sourceLocation: sourceLocation)
    }

    /// Feeds `raw` once, without its end, and expects the error already.
    func expectAtOnce(
        _ raw: String,
        _ error: HTTPParseError,
        limits: HTTPParserLimits = .init(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var parser = HTTPRequestParser(limits: limits)
        #expect(throws: error, sourceLocation: sourceLocation) {
            _ = try Array(raw).withUnsafeBytes { try parser.parse($0) }
        }
    }

    // MARK: Limits

    @Test func requestLineTooLong414() {
        let target = "/" + String(repeating: "a", count: 9000)
        self.expect("GET \(target) HTTP/1.1\r\n\(Self.host)\r\n", .requestLineTooLong, 414)
    }

    @Test func requestLineTooLongBeforeItsCRLF() {
        self.expectAtOnce("GET /" + String(repeating: "a", count: 8200), .requestLineTooLong)
        let limits = HTTPParserLimits(maxRequestLineBytes: 16)
        self.expect("GET /abc HTTP/1.1\r\n", .requestLineTooLong, 414, limits: limits)  // 17 bytes
    }

    @Test func headersTooLarge431() {
        let big = "X-Big: " + String(repeating: "b", count: 17000) + "\r\n"
        self.expect("GET / HTTP/1.1\r\n\(Self.host)\(big)\r\n", .headersTooLarge, 431)
    }

    @Test func headersTooLargeBeforeTheirEnd() {
        self.expectAtOnce(
            "GET / HTTP/1.1\r\n\(Self.host)X-Big: " + String(repeating: "b", count: 17000),
            .headersTooLarge
        )
        let limits = HTTPParserLimits(maxHeaderBytes: 12)
        self.expect("GET / HTTP/1.1\r\nHost: abc\r\n\r\n", .headersTooLarge, 431, limits: limits)  // 13 bytes
    }

    @Test func tooManyHeaders431() {
        let fields = (0..<101).map { "X-\($0): v\r\n" }.joined()
        self.expect("GET / HTTP/1.1\r\n\(Self.host)\(fields)\r\n", .tooManyHeaders, 431)
        let limits = HTTPParserLimits(maxHeaderCount: 2)
        self.expect("GET / HTTP/1.1\r\n\(Self.host)A: 1\r\nB: 2\r\n\r\n", .tooManyHeaders, 431, limits: limits)
    }

    @Test func bodyTooLargeViaContentLength413() {
        self.expect("POST / HTTP/1.1\r\n\(Self.host)Content-Length: 1048577\r\n\r\n", .bodyTooLarge, 413)
        self.expect(
            "POST / HTTP/1.1\r\n\(Self.host)Content-Length: 99999999999999999999999\r\n\r\n",
            .bodyTooLarge,
            413
        )
    }

    @Test func bodyTooLargeViaChunked413() {
        let limits = HTTPParserLimits(maxBodyBytes: 8)
        let head = "POST / HTTP/1.1\r\n\(Self.host)Transfer-Encoding: chunked\r\n\r\n"
        self.expect(head + "5\r\nhello\r\n4\r\nabcd\r\n0\r\n\r\n", .bodyTooLarge, 413, limits: limits)
        // Fails as soon as the size line is complete, before any data arrives.
        self.expectAtOnce(head + "5\r\nhello\r\n4\r\n", .bodyTooLarge, limits: limits)
        self.expectAtOnce(head + "100001\r\n", .bodyTooLarge)  // 1 MiB + 1
    }

    // MARK: Unsupported

    @Test func unsupportedTransferCoding501() {
        for coding in ["gzip", "identity", "gzip, chunked", "chunked, gzip", "chunked;q=1"] {
            self.expect(
                "POST / HTTP/1.1\r\n\(Self.host)Transfer-Encoding: \(coding)\r\n\r\n",
                .unsupportedTransferCoding,
                501
            )
        }
    }

    @Test func unsupportedVersion505() {
        for version in ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"] {
            self.expect("GET / \(version)\r\n\(Self.host)\r\n", .unsupportedVersion, 505)
        }
    }

    // MARK: Request line

    @Test func invalidMethod() {
        self.expect("G(T / HTTP/1.1\r\n\(Self.host)\r\n", .invalidMethod, 400)
        self.expect(" GET / HTTP/1.1\r\n\(Self.host)\r\n", .invalidMethod, 400)
        self.expect("GET\r\n\r\n", .invalidMethod, 400)
    }

    @Test func invalidTarget() {
        self.expect("GET  / HTTP/1.1\r\n\(Self.host)\r\n", .invalidTarget, 400)
        self.expect("GET /a\u{7F}b HTTP/1.1\r\n\(Self.host)\r\n", .invalidTarget, 400)
        self.expect("GET /a#frag HTTP/1.1\r\n\(Self.host)\r\n", .invalidTarget, 400)
        self.expect("GET * HTTP/1.1\r\n\(Self.host)\r\n", .invalidTarget, 400)
        self.expect("GET ftp://x/ HTTP/1.1\r\n\(Self.host)\r\n", .invalidTarget, 400)
        self.expect("GET http:/// HTTP/1.1\r\n\(Self.host)\r\n", .invalidTarget, 400)
        self.expect("GET /caf\u{E9} HTTP/1.1\r\n\(Self.host)\r\n", .invalidTarget, 400)
    }

    @Test func controlCharacterInTarget() {
        self.expect("GET /a\u{0}b HTTP/1.1\r\n\(Self.host)\r\n", .invalidTarget, 400)
        self.expect("GET /a\tb HTTP/1.1\r\n\(Self.host)\r\n", .invalidTarget, 400)
    }

    @Test func invalidVersion() {
        self.expect("GET / HTTP/1.1x\r\n\(Self.host)\r\n", .invalidVersion, 400)
        self.expect("GET / http/1.1\r\n\(Self.host)\r\n", .invalidVersion, 400)
        self.expect("GET /\r\n\(Self.host)\r\n", .invalidVersion, 400)
        self.expect("GET / HTTP/1.1 \r\n\(Self.host)\r\n", .invalidVersion, 400)
    }

    @Test func badRequestLineFailsBeforeTheHeadEnds() {
        self.expectAtOnce("BR\u{1}KEN / HTTP/1.1\r\nHost: a\r\n", .invalidMethod)
        self.expectAtOnce("GET / HTTP/9.9\r\n", .unsupportedVersion)
    }

    @Test func bareLineFeed() {
        self.expect("GET / HTTP/1.1\nHost: a\n\n", .invalidLineEnding, 400)
        self.expect("GET / HTTP/1.1\r\nHost: a\n\r\n", .invalidLineEnding, 400)
    }

    // MARK: Header fields

    @Test func spaceBeforeColon() {
        self.expect("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .whitespaceBeforeColon, 400)
        self.expect("GET / HTTP/1.1\r\n\(Self.host)X-A\t: b\r\n\r\n", .whitespaceBeforeColon, 400)
    }

    @Test func invalidHeaderName() {
        self.expect("GET / HTTP/1.1\r\n\(Self.host): empty\r\n\r\n", .invalidHeaderName, 400)
        self.expect("GET / HTTP/1.1\r\n\(Self.host)No-Colon\r\n\r\n", .invalidHeaderName, 400)
        self.expect("GET / HTTP/1.1\r\n\(Self.host)X(bad): v\r\n\r\n", .invalidHeaderName, 400)
    }

    @Test func controlCharactersInHeaderValue() {
        self.expect("GET / HTTP/1.1\r\n\(Self.host)X-A: a\u{0}b\r\n\r\n", .invalidHeaderValue, 400)
        self.expect("GET / HTTP/1.1\r\n\(Self.host)X-A: a\rb\r\n\r\n", .invalidHeaderValue, 400)
        self.expect("GET / HTTP/1.1\r\n\(Self.host)X-A: a\u{7F}\r\n\r\n", .invalidHeaderValue, 400)
        self.expect("GET / HTTP/1.1\r\n\(Self.host)X-A: \u{1B}[31m\r\n\r\n", .invalidHeaderValue, 400)
    }

    @Test func obsoleteLineFolding() {
        self.expect("GET / HTTP/1.1\r\n\(Self.host)X-A: one\r\n two\r\n\r\n", .obsoleteLineFolding, 400)
        self.expect("GET / HTTP/1.1\r\n\tX-A: b\r\n\(Self.host)\r\n", .obsoleteLineFolding, 400)
    }

    @Test func missingHostOnHTTP11() {
        self.expect("GET / HTTP/1.1\r\n\r\n", .missingHost, 400)
        self.expect("GET http://a/ HTTP/1.1\r\n\r\n", .missingHost, 400)
    }

    @Test func duplicateHost() {
        self.expect("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", .duplicateHost, 400)
    }

    // MARK: Framing

    @Test func invalidContentLength() {
        for value in ["-1", "+5", "0x10", "1 2", "", "5,", "1.0", "abc"] {
            self.expect("POST / HTTP/1.1\r\n\(Self.host)Content-Length: \(value)\r\n\r\n", .invalidContentLength, 400)
        }
    }

    @Test func conflictingContentLength() {
        self.expect(
            "POST / HTTP/1.1\r\n\(Self.host)Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            .conflictingContentLength,
            400
        )
        self.expect("POST / HTTP/1.1\r\n\(Self.host)Content-Length: 3, 4\r\n\r\nabcd", .conflictingContentLength, 400)
    }

    @Test func smugglingContentLengthWithTransferEncoding() {
        let raw = "POST / HTTP/1.1\r\n\(Self.host)Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        self.expect(raw, .contentLengthWithTransferEncoding, 400)
        let reversed = "POST / HTTP/1.1\r\n\(Self.host)Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n"
        self.expect(reversed, .contentLengthWithTransferEncoding, 400)
    }

    @Test func invalidTransferEncoding() {
        self.expect(
            "POST / HTTP/1.1\r\n\(Self.host)Transfer-Encoding: chunked, chunked\r\n\r\n",
            .invalidTransferEncoding,
            400
        )
        self.expect("POST / HTTP/1.1\r\n\(Self.host)Transfer-Encoding: ,\r\n\r\n", .invalidTransferEncoding, 400)
        self.expect(
            "POST / HTTP/1.1\r\n\(Self.host)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            .invalidTransferEncoding,
            400
        )
    }

    @Test func transferEncodingInHTTP10() {
        self.expect("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .transferEncodingInHTTP10, 400)
    }

    // MARK: Chunked bodies

    static let chunkedHead = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

    @Test func invalidChunkSize() {
        for body in ["x\r\n", "\r\n", ";ext\r\n", "5x\r\nhello\r\n0\r\n\r\n", "-1\r\n", "5 x\r\n"] {
            self.expect(Self.chunkedHead + body, .invalidChunkSize, 400)
        }
    }

    @Test func chunkSizeOverflow() {
        self.expect(Self.chunkedHead + "10000000000000000\r\n", .invalidChunkSize, 400)
        self.expect(Self.chunkedHead + "FFFFFFFFFFFFFFFFFFFF\r\n", .invalidChunkSize, 400)
    }

    @Test func invalidChunkTerminator() {
        self.expect(Self.chunkedHead + "3\r\nhello\r\n0\r\n\r\n", .invalidChunkTerminator, 400)
        self.expect(Self.chunkedHead + "5\r\nhello\n0\r\n\r\n", .invalidChunkTerminator, 400)
    }

    @Test func invalidChunkExtension() {
        self.expect(Self.chunkedHead + "5;a=\u{1}\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension, 400)
    }

    @Test func chunkLineTooLong() {
        let ext = ";" + String(repeating: "e", count: 5000)
        self.expect(Self.chunkedHead + "5\(ext)\r\nhello\r\n0\r\n\r\n", .chunkLineTooLong, 400)
    }

    @Test func invalidTrailer() {
        self.expect(Self.chunkedHead + "0\r\nX-T: \u{1}\r\n\r\n", .invalidTrailer, 400)
    }

    @Test func trailersTooLarge() {
        let trailer = "X-T: " + String(repeating: "t", count: 17000) + "\r\n"
        self.expect(Self.chunkedHead + "0\r\n\(trailer)\r\n", .headersTooLarge, 431)
    }

    @Test func bareLineFeedInChunkedFraming() {
        self.expect(Self.chunkedHead + "5\nhello\r\n0\r\n\r\n", .invalidLineEnding, 400)
        self.expect(Self.chunkedHead + "0\r\n\n", .invalidLineEnding, 400)
    }

    @Test func errorsHaveActionableMessagesAndDistinctKinds() {
        let all: [HTTPParseError] = [
            .requestLineTooLong, .headersTooLarge, .tooManyHeaders, .bodyTooLarge, .unsupportedTransferCoding,
            .unsupportedVersion, .invalidMethod, .invalidTarget, .invalidVersion, .invalidLineEnding,
            .invalidHeaderName, .whitespaceBeforeColon, .invalidHeaderValue, .obsoleteLineFolding,
            .invalidContentLength, .conflictingContentLength, .contentLengthWithTransferEncoding,
            .invalidTransferEncoding, .transferEncodingInHTTP10, .invalidChunkSize, .invalidChunkExtension,
            .chunkLineTooLong, .invalidChunkTerminator, .invalidTrailer, .missingHost, .duplicateHost,
        ]
        for (i, a) in all.enumerated() {
            #expect(!a.message.isEmpty && a.message.hasSuffix("."))
            for (j, b) in all.enumerated() { #expect((a == b) == (i == j)) }
        }
        let response = HTTPResponse.error(.missingHost)
        #expect(response.status == .badRequest)
        #expect(response.body == Array(HTTPParseError.missingHost.message + "\n"))
    }
}
