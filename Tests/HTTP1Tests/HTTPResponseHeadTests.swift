import HTTP1
import Testing

/// The client-side answer parser the rehearsal and the test clients share.
@Suite struct HTTPResponseHeadTests {
    @Test func parsesStatusFieldsAndWhereTheBodyStarts() throws {
        let bytes = Array("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".utf8)
        let head = try #require(try HTTPResponseHead.parse(bytes))
        #expect(head.status == 201)
        #expect(head.header("content-type") == "application/json")
        #expect(head.contentLength == 2)
        #expect(head.length == bytes.count - 2)
        #expect(!head.hasNoBody)
    }

    @Test func waitsForTheBlankLine() throws {
        let whole = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        for end in 0..<whole.count {
            #expect(try HTTPResponseHead.parse(whole[..<end]) == nil, "\(end) bytes")
        }
        #expect(try HTTPResponseHead.parse(whole)?.status == 200)
    }

    @Test func keepsRepeatedFieldsInOrderAndTrimsValues() throws {
        let head = try #require(try HTTPResponseHead.parse(Array("HTTP/1.1 101 Switching\r\nVary:  a \r\nVary: b\r\n\r\n".utf8)))
        #expect(head.headers.map(\.value) == ["a", "b"])
        #expect(head.header("VARY") == "a")
        #expect(head.contentLength == nil)
        #expect(head.hasNoBody)
    }

    @Test func refusesAnythingButAnHTTPStatusLine() {
        #expect(throws: HTTPResponseHead.Failure.self) { try HTTPResponseHead.parse(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8)) }
        #expect(throws: HTTPResponseHead.Failure.self) { try HTTPResponseHead.parse(Array("HTTP/1.1 OK\r\n\r\n".utf8)) }
    }
}
