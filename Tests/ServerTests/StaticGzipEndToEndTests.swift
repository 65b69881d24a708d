import BackchannelServer
import Foundation
import ServerTesting
import TestSupport
import Testing

/// The real site's pages over a real socket: a browser that takes gzip gets it, and it decodes to the
/// file on disk; a client that does not gets the file as it is.
@Suite struct StaticGzipEndToEndTests {
    static func serve() throws -> TestServer {
        try TestServer { $0.staticDirectory = PackagePaths.staticDirectory }
    }

    static func file(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: PackagePaths.staticDirectory + "/" + relative)))
    }

    @Test func pagesScriptsAndStylesGoOutGzipped() throws {
        let server = try Self.serve()
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        var sent = 0
        var original = 0
        for (path, file) in [
            ("/", "index.html"), ("/js/room.js", "js/room.js"), ("/css/app.css", "css/app.css"), ("/live.html", "live.html"),
        ] {
            socket.send("GET \(path) HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n")
            let response = try socket.readResponse()
            let bytes = try Self.file(file)
            #expect(response.status == 200)
            #expect(response.header("Content-Encoding") == "gzip", "\(path)")
            #expect(response.header("Vary") == "Accept-Encoding")
            #expect(Gunzip.decode(response.body) == bytes, "\(path) decodes to the file on disk")
            sent += response.body.count
            original += bytes.count
        }
        #expect(sent * 3 < original, "gzip sends \(sent) bytes for \(original)")

        socket.send("GET /js/room.js HTTP/1.1\r\nHost: x\r\n\r\n")
        let plain = try socket.readResponse()
        #expect(plain.header("Content-Encoding") == nil)
        #expect(plain.body == (try Self.file("js/room.js")), "no Accept-Encoding: the file as it is")
    }

    @Test func headCarriesTheGzipHeadersAndNoBody() throws {
        let server = try Self.serve()
        defer { server.stop() }
        let socket = try TestSocket(port: server.port)
        socket.send("GET /js/room.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
        let get = try socket.readResponse()
        socket.send("HEAD /js/room.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n")
        while socket.fill() {}
        let raw = String(decoding: socket.buffer, as: UTF8.self)
        let parts = raw.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2 && parts[1].isEmpty, "HEAD sends no body")
        let head = parts[0].lowercased()
        #expect(head.contains("content-encoding: gzip"))
        #expect(head.contains("content-length: \(get.body.count)"), "the length of what GET would send")
    }
}
