import Foundation
import HTTP1
import Testing

@Suite struct StaticFilesTests {
    /// A temporary site: `root/` with assorted files and symlinks, and `outside/` next to it.
    final class Site {
        let base: String
        var root: String { self.base + "/root" }

        init() throws {
            self.base = FileManager.default.temporaryDirectory.path + "/static-\(UInt64.random(in: 0...UInt64.max))"
            let fm = FileManager.default
            for dir in ["root/css", "root/docs", "root/nested/deeper", "outside"] {
                try fm.createDirectory(atPath: self.base + "/" + dir, withIntermediateDirectories: true)
            }
            let files: [String: String] = [
                "root/index.html": "<h1>home</h1>", "root/css/site.css": "body{}", "root/app.js": "1",
                "root/mod.mjs": "2", "root/data.json": "{}", "root/logo.svg": "<svg/>", "root/img.png": "png",
                "root/photo.jpg": "jpg", "root/anim.gif": "gif", "root/pic.webp": "webp", "root/favicon.ico": "ico",
                "root/robots.txt": "ok", "root/font.woff2": "w", "root/app.js.map": "{}", "root/mod.wasm": "wasm",
                "root/blob.bin": "bin", "root/NOEXT": "x", "root/docs/index.html": "docs",
                "root/nested/deeper/a b.txt": "spaced", "root/big.bin": String(repeating: "b", count: 2000),
                "outside/secret.txt": "secret",
            ]
            for (path, content) in files {
                try Data(content.utf8).write(to: URL(fileURLWithPath: self.base + "/" + path))
            }
            try fm.createSymbolicLink(
                atPath: self.root + "/escape.txt",
                withDestinationPath: self.base + "/outside/secret.txt"
            )
            try fm.createSymbolicLink(atPath: self.root + "/escape-dir", withDestinationPath: "../outside")
            try fm.createSymbolicLink(atPath: self.root + "/alias.css", withDestinationPath: "css/site.css")
            try fm.createSymbolicLink(atPath: self.root + "/nested/loop", withDestinationPath: "..")
        }

        deinit { try? FileManager.default.removeItem(atPath: self.base) }
    }

    static func head(_ target: String, _ method: HTTPMethod = .get, _ headers: HTTPHeaders = [:]) -> HTTPRequestHead {
        HTTPRequestHead(method: method, target: target, version: .http1_1, headers: headers)
    }

    @Test func mimeTypesAndCaching() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root, maxFileBytes: 1000)
        let expected: [String: String] = [
            "/index.html": "text/html; charset=utf-8", "/css/site.css": "text/css; charset=utf-8",
            "/app.js": "text/javascript; charset=utf-8", "/mod.mjs": "text/javascript; charset=utf-8",
            "/data.json": "application/json", "/logo.svg": "image/svg+xml; charset=utf-8", "/img.png": "image/png",
            "/photo.jpg": "image/jpeg", "/anim.gif": "image/gif", "/pic.webp": "image/webp",
            "/favicon.ico": "image/x-icon", "/robots.txt": "text/plain; charset=utf-8", "/font.woff2": "font/woff2",
            "/app.js.map": "application/json", "/mod.wasm": "application/wasm",
            "/blob.bin": "application/octet-stream", "/NOEXT": "application/octet-stream",
        ]
        for (path, type) in expected {
            let response = files.response(for: Self.head(path))
            #expect(response.status == .ok, "\(path)")
            #expect(response.headers["Content-Type"] == type, "\(path)")
            let cache = path.hasSuffix(".html") ? "no-cache" : "public, max-age=3600"
            #expect(response.headers["Cache-Control"] == cache, "\(path)")
        }
        #expect(files.response(for: Self.head("/css/site.css")).body == Array("body{}".utf8))
        #expect(files.response(for: Self.head("/nested/deeper/a%20b.txt")).body == Array("spaced".utf8))
    }

    @Test func etagAndIfNoneMatch() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        let ok = files.response(for: Self.head("/app.js"))
        let etag = try #require(ok.headers["ETag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count == 18)
        #expect(etag.dropFirst().dropLast().allSatisfy { $0.isHexDigit })
        #expect(files.response(for: Self.head("/mod.mjs")).headers["ETag"] != etag, "different content, different tag")
        for condition in [etag, "W/\(etag)", "\"other\", \(etag)", "*", "\"a\",W/\(etag) , \"b\""] {
            let response = files.response(for: Self.head("/app.js", .get, ["If-None-Match": condition]))
            #expect(response.status == .notModified, "\(condition)")
            #expect(response.body.isEmpty)
            #expect(response.headers["ETag"] == etag)
        }
        let miss = files.response(for: Self.head("/app.js", .get, ["If-None-Match": "\"nope\", W/\"other\""]))
        #expect(miss.status == .ok)
        #expect(files.response(for: Self.head("/app.js", .head, ["If-None-Match": etag])).status == .notModified)
    }

    @Test func indexAndDirectories() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        #expect(files.response(for: Self.head("/")).body == Array("<h1>home</h1>".utf8))
        #expect(files.response(for: Self.head("/?x=1")).status == .ok)
        #expect(files.response(for: Self.head("/docs/")).body == Array("docs".utf8))
        #expect(files.response(for: Self.head("/docs")).body == Array("docs".utf8))
        #expect(files.response(for: Self.head("/css/")).status == .notFound, "no index.html there")
        #expect(files.response(forFile: "docs/index.html", head: Self.head("/events/x")).body == Array("docs".utf8))
        #expect(files.response(forFile: "missing.html", head: Self.head("/events/x")).status == .notFound)
    }

    @Test func traversalAttemptsAre404() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        let attempts = [
            "/../etc/passwd", "/../outside/secret.txt", "/%2e%2e/outside/secret.txt", "/%2E%2E/", "/a/%2e%2e/%2e%2e/x",
            "/css/../index.html", "/./index.html", "/css/./site.css", "/..%2foutside%2fsecret.txt", "/css%2fsite.css",
            "/%2fetc/passwd", "//etc/passwd", "/css//site.css", "/css\\site.css", "/css%5csite.css",
            "/index.html%00.png", "/index.html\u{0}", "/%zz", "/caf%C3", "index.html", "/escape.txt",
            "/escape-dir/secret.txt", "/nope.html",
        ]
        for target in attempts {
            #expect(files.response(for: Self.head(target)).status == .notFound, "\(target)")
        }
    }

    @Test func symlinksInsideRootAreServedAndOutsideSkipped() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        #expect(files.response(for: Self.head("/alias.css")).body == Array("body{}".utf8))
        #expect(!files.paths.contains("escape.txt"))
        #expect(!files.paths.contains { $0.contains("secret") })
        #expect(files.paths.filter { $0.contains("loop") }.count <= 1, "a symlink loop is walked at most once")
    }

    @Test func oversizedFilesAreSkipped() throws {
        let site = try Site()
        #expect(
            try StaticFiles(root: site.root, maxFileBytes: 1000).response(for: Self.head("/big.bin")).status
                == .notFound
        )
        #expect(try StaticFiles(root: site.root).response(for: Self.head("/big.bin")).body.count == 2000)
    }

    @Test func onlyGetAndHead() throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root)
        let post = files.response(for: Self.head("/app.js", .post))
        #expect(post.status == .methodNotAllowed)
        #expect(post.headers["Allow"] == "GET, HEAD")
        #expect(files.response(for: Self.head("/app.js", .head)).status == .ok)
    }

    @Test func missingRootThrows() {
        #expect(throws: StaticFiles.LoadError.self) {
            try StaticFiles(root: "/nonexistent/\(UInt64.random(in: 0...UInt64.max))")
        }
    }
}
