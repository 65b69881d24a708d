import Foundation
import HTTP1
import TestSupport
import Testing

/// Text files go out gzip-encoded to clients that take gzip, and unchanged to everyone else.
@Suite struct StaticFilesGzipTests {
    /// A site with a repetitive script (shrinks a lot), a tiny one (not worth it), an image and HTML.
    final class Site {
        let root: String
        let script = Array(String(repeating: "function hello(name) { return 'hello ' + name; }\n", count: 200).utf8)
        let page = Array(("<!doctype html><title>x</title>" + String(repeating: "<p>Welcome to the launch</p>", count: 50)).utf8)
        let picture = (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }

        init() throws {
            self.root = FileManager.default.temporaryDirectory.path + "/static-gzip-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
            try Data(self.script).write(to: URL(fileURLWithPath: self.root + "/app.js"))
            try Data(self.page).write(to: URL(fileURLWithPath: self.root + "/index.html"))
            try Data(self.picture).write(to: URL(fileURLWithPath: self.root + "/logo.png"))
            try Data("1".utf8).write(to: URL(fileURLWithPath: self.root + "/tiny.js"))
        }

        deinit { try? FileManager.default.removeItem(atPath: self.root) }
    }

    static func get(_ files: StaticFiles, _ path: String, _ headers: HTTPHeaders = [:], method: HTTPMethod = .get) -> HTTPResponse {
        files.response(for: HTTPRequestHead(method: method, target: path, version: .http1_1, headers: headers))
    }

    @Test func aBrowserGetsGzipThatDecodesToTheFile() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        for (path, original) in [("/app.js", site.script), ("/", site.page)] {
            let response = Self.get(files, path, ["Accept-Encoding": "gzip, deflate, br, zstd"])
            #expect(response.status == .ok)
            #expect(response.headers["Content-Encoding"] == "gzip", "\(path)")
            #expect(response.headers["Vary"] == "Accept-Encoding")
            #expect(response.body.count * 4 < original.count, "\(path): \(response.body.count) of \(original.count) bytes")
            #expect(Gunzip.decode(response.body) == original, "\(path) decodes to the file's bytes")
        }
        let plain = Self.get(files, "/app.js")
        #expect(plain.headers["Content-Encoding"] == nil, "no Accept-Encoding: identity")
        #expect(plain.headers["Vary"] == "Accept-Encoding", "the identity form varies too, for shared caches")
        #expect(plain.body == site.script)
    }

    @Test func acceptEncodingWeightsAreHonoured() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        let gzip = ["gzip", "GZIP", "x-gzip", "deflate, gzip;q=0.5", "*", "br;q=1, *;q=0.1", "gzip ; q=1.0", "identity, gzip"]
        let identity = ["identity", "gzip;q=0", "gzip; q=0.000", "*;q=0", "br", "gzip;q=0, *", "gzip;q=abc", "gzip;q=2", ""]
        for value in gzip {
            #expect(Self.get(files, "/app.js", ["Accept-Encoding": value]).headers["Content-Encoding"] == "gzip", "\(value)")
        }
        for value in identity {
            #expect(Self.get(files, "/app.js", ["Accept-Encoding": value]).headers["Content-Encoding"] == nil, "\(value)")
        }
    }

    @Test func eachFormHasItsOwnTagAndRevalidates() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        let takesGzip: HTTPHeaders = ["Accept-Encoding": "gzip"]
        let packedTag = try #require(Self.get(files, "/app.js", takesGzip).headers["ETag"])
        let plainTag = try #require(Self.get(files, "/app.js").headers["ETag"])
        #expect(packedTag != plainTag, "a strong tag names one representation")

        let revalidated = Self.get(files, "/app.js", ["Accept-Encoding": "gzip", "If-None-Match": packedTag])
        #expect(revalidated.status == .notModified)
        #expect(revalidated.body.isEmpty)
        #expect(revalidated.headers["ETag"] == packedTag)
        #expect(revalidated.headers["Vary"] == "Accept-Encoding")
        #expect(Self.get(files, "/app.js", ["If-None-Match": plainTag]).status == .notModified)
        let switched = Self.get(files, "/app.js", ["If-None-Match": packedTag])
        #expect(switched.status == .ok, "a client that stops taking gzip gets the identity bytes, not a 304")
        #expect(switched.body == site.script)
    }

    @Test func imagesAndTinyFilesAreNeverEncoded() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        for path in ["/logo.png", "/tiny.js"] {
            let response = Self.get(files, path, ["Accept-Encoding": "gzip"])
            #expect(response.headers["Content-Encoding"] == nil, "\(path)")
            #expect(response.headers["Vary"] == nil, "\(path) has one form only")
        }
        #expect(Self.get(files, "/logo.png", ["Accept-Encoding": "gzip"]).body == site.picture)
    }

    @Test func headAnswersWithTheSameGzipHeaders() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        let get = Self.get(files, "/app.js", ["Accept-Encoding": "gzip"])
        let head = Self.get(files, "/app.js", ["Accept-Encoding": "gzip"], method: .head)
        #expect(head.headers["Content-Encoding"] == "gzip")
        #expect(head.headers["ETag"] == get.headers["ETag"])
    }
}
