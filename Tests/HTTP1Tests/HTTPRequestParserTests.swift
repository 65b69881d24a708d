import HTTP1
import Testing

@Suite("HTTPRequestParser: valid requests")
struct HTTPRequestParserTests {
    static let valid: [String] = [
        "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET /api/events/launch?x=1&y=%20 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nUser-Agent: t\r\n\r\n",
        "POST /api/events/x/registrations HTTP/1.1\r\nHost: a\r\nContent-Length: 13\r\n\r\n{\"name\":\"Jo\"}",
        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1;b\r\n, world\r\n0\r\n\r\n",
        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\nA \r\n0123456789\r\n00\r\nX-Trailer: t\r\n\r\n",
        "GET /old HTTP/1.0\r\n\r\n",
        "GET /ows HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Spaced: \t  spaced value \t\r\nX-Obs: caf\u{E9}\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://example.com:8080/p?q=1 HTTP/1.1\r\nHost: ignored\r\n\r\n",
        "GET /future HTTP/1.7\r\nHost: a\r\n\r\n",
        "GET /with-body HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
        "\r\n\r\nGET /after-crlf HTTP/1.1\r\nHost: a\r\n\r\n",
        "PUT /dup HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok",
        "DELETE /zero HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
        "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
    ]

    @Test("every valid request parses the same whole, byte by byte and split at every offset", arguments: valid)
    func everyWay(raw: String) throws {
        let requests = try parseEveryWay(Array(raw))
        #expect(requests.count == 1)
    }

    @Test func simpleGet() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[0])).first)
        #expect(request.head.method == .get)
        #expect(request.head.target == "/")
        #expect(request.head.version == .http1_1)
        #expect(request.head.headers["host"] == "example.com")
        #expect(request.body.isEmpty)
        #expect(request.head.keepAlive)
    }

    @Test func pathAndQuery() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[1])).first)
        #expect(request.head.path == "/api/events/launch")
        #expect(request.head.query == "x=1&y=%20")
        #expect(request.head.headers.count == 3)
    }

    @Test func contentLengthBody() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[2])).first)
        #expect(request.head.method == .post)
        #expect(request.body == Array("{\"name\":\"Jo\"}"))
    }

    @Test func chunkedBodyWithExtensions() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[3])).first)
        #expect(request.body == Array("hello, world"))
    }

    @Test func chunkedUppercaseHexLeadingZerosAndTrailers() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[4])).first)
        #expect(request.body == Array("0123456789"))
        #expect(request.head.headers["X-Trailer"] == nil, "trailers are dropped, not merged")
    }

    @Test func http10WithoutHost() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[5])).first)
        #expect(request.head.version == .http1_0)
        #expect(!request.head.keepAlive)
    }

    @Test func optionalWhitespaceIsTrimmedAndObsTextKept() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[6])).first)
        #expect(request.head.headers["X-Empty"] == "")
        #expect(request.head.headers["X-Spaced"] == "spaced value")
        #expect(request.head.headers["X-Obs"] == "caf\u{E9}")
    }

    @Test func asteriskFormForOptions() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[7])).first)
        #expect(request.head.method == .options)
        #expect(request.head.target == "*")
    }

    @Test func absoluteFormBecomesOriginFormAndReplacesHost() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[8])).first)
        #expect(request.head.target == "/p?q=1")
        #expect(request.head.headers["Host"] == "example.com:8080")
        #expect(request.head.headers.values(for: "Host").count == 1)
    }

    @Test func higherMinorVersionIsTreatedAsHTTP11() throws {
        let request = try #require(try parseEveryWay(Array(Self.valid[9])).first)
        #expect(request.head.version == .http1_1)
    }

    @Test func getWithBodyAndLeadingEmptyLines() throws {
        #expect(try parseEveryWay(Array(Self.valid[10])).first?.body == Array("abc"))
        #expect(try parseEveryWay(Array(Self.valid[11])).first?.head.target == "/after-crlf")
    }

    @Test func agreeingDuplicateContentLengths() throws {
        #expect(try parseEveryWay(Array(Self.valid[12])).first?.body == Array("ok"))
        #expect(try parseEveryWay(Array(Self.valid[13])).first?.body == [])
    }

    @Test func methodsAreCaseSensitiveTokens() throws {
        let request = try #require(try parseEveryWay(Array("get / HTTP/1.1\r\nHost: a\r\n\r\n")).first)
        #expect(request.head.method.rawValue == "get")
        #expect(request.head.method != .get)
    }

    @Test func pipelinedRequestsComeOutOneByOne() throws {
        let raw = Array(Self.valid[0] + Self.valid[2] + Self.valid[3])
        var parser = HTTPRequestParser()
        var offset = 0
        var ends: [Int] = []
        try raw.withUnsafeBytes { bytes in
            while offset < bytes.count {
                let (consumed, request) = try parser.parse(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                #expect(request != nil, "each call stops right after one request")
                offset += consumed
                ends.append(offset)
            }
        }
        let a = Self.valid[0].utf8.count
        let b = Self.valid[2].utf8.count
        let c = Self.valid[3].utf8.count
        #expect(ends == [a, a + b, a + b + c])
        #expect(parser.isIdle)
        let all = try parseEveryWay(raw)
        #expect(all.map(\.head.target) == ["/", "/api/events/x/registrations", "/c"])
    }

    @Test func upgradeLeavesFrameBytesUnconsumed() throws {
        let head = Array(Self.valid[14])
        let frame: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        var parser = HTTPRequestParser()
        let (consumed, request) = try (head + frame).withUnsafeBytes { try parser.parse($0) }
        let upgrade = try #require(request)
        #expect(upgrade.head.isUpgrade)
        #expect(consumed == head.count)
        #expect(parser.isIdle)
    }

    @Test func idleOnlyBetweenRequests() throws {
        var parser = HTTPRequestParser()
        let raw = Array(Self.valid[2])
        #expect(parser.isIdle)
        _ = try raw.withUnsafeBytes { try parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<10])) }
        #expect(!parser.isIdle, "a partial head is buffered")
        _ = try raw.withUnsafeBytes { try parser.parse(UnsafeRawBufferPointer(rebasing: $0[10..<(raw.count - 1)])) }
        #expect(!parser.isIdle, "a partial body is buffered")
        #expect(parser.headAwaitingBody?.target == "/api/events/x/registrations")
        let (consumed, request) = try raw.withUnsafeBytes {
            try parser.parse(UnsafeRawBufferPointer(rebasing: $0[(raw.count - 1)...]))
        }
        #expect(consumed == 1)
        #expect(request?.body == Array("{\"name\":\"Jo\"}"))
        #expect(parser.isIdle)
        #expect(parser.headAwaitingBody == nil)
    }

    @Test func limitsAreInclusive() throws {
        let limits = HTTPParserLimits(maxRequestLineBytes: 16, maxHeaderBytes: 12, maxHeaderCount: 1, maxBodyBytes: 4)
        let line = "GET /ab HTTP/1.1"
        #expect(line.utf8.count == 16)
        let raw = line + "\r\nHost: a\r\n\r\n"  // header section "Host: a\r\n\r\n" is 11 bytes
        #expect(try parseEveryWay(Array(raw), limits: limits).count == 1)
        let exact = line + "\r\nHost: ab\r\n\r\n"  // exactly 12
        #expect(try parseEveryWay(Array(exact), limits: limits).count == 1)
        let body = "POST / HTTP/1.0\r\nContent-Length: 4\r\n\r\nabcd"
        let big = HTTPParserLimits(maxRequestLineBytes: 16, maxHeaderBytes: 40, maxHeaderCount: 1, maxBodyBytes: 4)
        #expect(try parseEveryWay(Array(body), limits: big).first?.body == Array("abcd"))
    }
}
