import BackchannelServer
import Foundation
import ServerTesting
import Testing

/// HTTP/1.1 over real loopback sockets: keep-alive, pipelining, limits, pages, traversal.
@Suite struct HTTPEndToEndTests {
    @Test func healthzAnswersOkWithDateAndLength() throws {
        let server = try TestServer()
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try socket.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "ok")
        #expect(response.header("Date") != nil)
        #expect(response.header("Content-Length") == "2")
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try TestServer()
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        for _ in 0..<3 {
            socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try socket.readResponse().status == 200)
        }
        socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let last = try socket.readResponse()
        #expect(last.header("Connection") == "close")
        #expect(socket.waitForClose())
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /app.css HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try socket.readResponse().status == 200)
        #expect(try socket.readResponse().status == 404)
        let css = try socket.readResponse()
        #expect(css.status == 200)
        #expect(css.header("Content-Type")?.hasPrefix("text/css") == true)
    }

    @Test(arguments: [
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 17000))\r\n\r\n", 431),
        ("GET / HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-\($0): y\r\n" }.joined() + "\r\n", 431),
        ("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", 413),
        ("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("GARBAGE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
    ])
    func limitsAndMalformedRequestsGetTheirStatusThenClose(request: String, status: Int) throws {
        let server = try TestServer()
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        socket.send(request)
        let response = try socket.readResponse()
        #expect(response.status == status)
        #expect(response.errorCode != nil, "errors are JSON with a code")
        #expect(socket.waitForClose())
    }

    @Test func staticFilesHaveTypesETagsAndNotModified() throws {
        let server = try TestServer()
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        socket.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let page = try socket.readResponse()
        #expect(page.status == 200)
        #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
        #expect(page.header("X-Content-Type-Options") == "nosniff")
        #expect(page.header("Referrer-Policy") == "no-referrer")
        let etag = try #require(page.header("ETag"))
        socket.send("GET / HTTP/1.1\r\nHost: x\r\nIf-None-Match: \(etag)\r\n\r\n")
        let cached = try socket.readResponse()
        #expect(cached.status == 304)
        #expect(cached.body.isEmpty)
    }

    @Test(arguments: [
        "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/a/%2e%2e/%2e%2e/etc/passwd", "/..%2fetc%2fpasswd", "/%00", "/..\\etc",
    ])
    func traversalAttemptsAre404(path: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        socket.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try socket.readResponse()
        #expect(response.status == 404 || response.status == 400)
        #expect(!response.text.contains("root:"))
    }

    @Test func metricsAreInPrometheusFormat() throws {
        let server = try TestServer()
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try socket.readResponse()
        socket.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        let metrics = try socket.readResponse()
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("backchannel_http_requests_total"))
        #expect(metrics.text.contains("backchannel_connections_open"))
        #expect(metrics.text.contains("# TYPE"))
    }

    @Test func idleConnectionWithPartialRequestTimesOutWith408() throws {
        let server = try TestServer { $0.requestTimeoutSeconds = 1 }
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        socket.send("GET /healthz HTTP/1.1\r\nHo")
        let response = try socket.readResponse()
        #expect(response.status == 408)
        #expect(socket.waitForClose())
    }
}
