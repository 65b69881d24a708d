import HTTP1
import Testing

@Suite struct HTTPResponseWriterTests {
    static let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    func text(
        _ response: HTTPResponse,
        keepAlive: Bool = true,
        isHead: Bool = false,
        version: HTTPVersion = .http1_1
    ) -> String {
        String(
            decoding: HTTPResponseWriter.serialize(
                response,
                date: Self.date,
                keepAlive: keepAlive,
                isHead: isHead,
                requestVersion: version
            ),
            as: UTF8.self
        )
    }

    @Test func textResponse() {
        let out = self.text(.text(.ok, "hi"))
        let expected =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Date: \(Self.date)\r\nContent-Length: 2\r\n\r\nhi"
        #expect(out == expected)
    }

    @Test func jsonResponseClosingConnection() {
        let out = self.text(.json(.created, Array("{}".utf8)), keepAlive: false)
        let expected =
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
            + "Date: \(Self.date)\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
        #expect(out == expected)
    }

    @Test func headOmitsBodyButKeepsLength() {
        let out = self.text(.text(.ok, "hello"), isHead: true)
        #expect(out.hasSuffix("Content-Length: 5\r\n\r\n"))
    }

    @Test func noContentLengthOrBodyFor204And304And1xx() {
        let noContent = self.text(
            HTTPResponse(status: .noContent, headers: ["Content-Length": "3"], body: Array("abc".utf8))
        )
        #expect(noContent == "HTTP/1.1 204 No Content\r\nDate: \(Self.date)\r\n\r\n")
        let notModified = self.text(HTTPResponse(status: .notModified, headers: ["ETag": "\"x\""]))
        #expect(notModified == "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nDate: \(Self.date)\r\n\r\n")
        let upgrade = self.text(
            HTTPResponse(status: .switchingProtocols, headers: ["Upgrade": "websocket", "Connection": "Upgrade"])
        )
        #expect(
            upgrade
                == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nDate: \(Self.date)\r\n\r\n"
        )
    }

    @Test func existingDateAndContentLengthAreKept() {
        let response = HTTPResponse(status: .ok, headers: ["Date": "then", "Content-Length": "10"])
        let out = self.text(response, isHead: true)
        #expect(out == "HTTP/1.1 200 OK\r\nDate: then\r\nContent-Length: 10\r\n\r\n")
    }

    @Test func closeReplacesConnectionField() {
        let out = self.text(HTTPResponse(status: .ok, headers: ["Connection": "keep-alive"]), keepAlive: false)
        #expect(out == "HTTP/1.1 200 OK\r\nDate: \(Self.date)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    @Test func http10KeepAliveIsExplicit() {
        let out = self.text(.text(.ok, ""), version: .http1_0)
        #expect(out.hasSuffix("Connection: keep-alive\r\n\r\n"))
        #expect(!self.text(.text(.ok, "")).contains("Connection"))
    }

    @Test func headerInjectionIsNeutralised() {
        let out = self.text(HTTPResponse(status: .ok, headers: ["Location": "/x\r\nSet-Cookie: evil=1"]))
        #expect(out.contains("Location: /x  Set-Cookie: evil=1\r\n"))
        #expect(!out.contains("\r\nSet-Cookie"))
    }
}
