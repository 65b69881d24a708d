#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The site's static files, read into memory once at start so serving never touches the disk on an
/// event-loop thread, with validators computed once too.
///
/// Only paths that name a loaded file are served, so traversal tricks have nothing to reach; on top of
/// that, request paths with an encoded slash or backslash are refused, the rest are percent-decoded, and any
/// `.`/`..` segment, empty middle segment, NUL or backslash is answered with 404 before lookup.
public final class StaticFiles: Sendable {
    /// Why the root could not be loaded.
    public struct LoadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot load static files from \(self.path): \(self.reason)" }
    }

    /// One stored form of a file: its bytes and the headers that go with them, built once.
    private struct Representation: Sendable {
        let body: [UInt8]
        let etag: String
        /// Content-Type, ETag, Cache-Control (and Content-Encoding, Vary), for 200 answers.
        let headers: HTTPHeaders
        /// ETag, Cache-Control (and Vary) for 304 answers.
        let notModifiedHeaders: HTTPHeaders
    }

    private struct Entry: Sendable {
        let identity: Representation
        /// Present for text types that gzip to less than 90 % of their size.
        let gzip: Representation?
    }

    private let files: [String: Entry]

    /// Loads every regular file under `root` into memory at start (so serving never touches the disk on an
    /// event-loop thread). Symlinks are resolved; any whose target lies outside root is skipped.
    /// Files larger than `maxFileBytes` are skipped.
    /// - Throws: `LoadError` when `root` is not a readable directory.
    public init(root: String, maxFileBytes: Int = 8 << 20) throws {
        guard let rootReal = Self.realPath(root), Self.isDirectory(rootReal) else {
            throw LoadError(path: root, reason: "not a directory")
        }
        var loader = StaticFileLoader(rootReal: rootReal, maxFileBytes: maxFileBytes)
        try loader.walk(directory: rootReal, relative: "")
        var files: [String: Entry] = [:]
        for (path, body) in loader.files {
            files[path] = Self.entry(path: path, body: body)
        }
        self.files = files
    }

    private static func entry(path: String, body: [UInt8]) -> Entry {
        let contentType = MediaType.contentType(forPath: path)
        let cacheControl = MediaType.isHTML(contentType) ? "no-cache" : "public, max-age=3600"
        var gzipped: [UInt8]?
        if MediaType.isCompressible(contentType), let packed = Gzip.compress(body), packed.count < body.count * 9 / 10 {
            gzipped = packed
        }
        func representation(_ bytes: [UInt8], etag: String, encoding: String?) -> Representation {
            var headers: HTTPHeaders = ["Content-Type": contentType, "ETag": etag, "Cache-Control": cacheControl]
            var notModified: HTTPHeaders = ["ETag": etag, "Cache-Control": cacheControl]
            if let encoding { headers.add(name: "Content-Encoding", value: encoding) }
            if gzipped != nil {
                // Both forms vary, so a shared cache never hands gzip to a client that did not ask for it.
                headers.add(name: "Vary", value: "Accept-Encoding")
                notModified.add(name: "Vary", value: "Accept-Encoding")
            }
            return Representation(body: bytes, etag: etag, headers: headers, notModifiedHeaders: notModified)
        }
        let etag = EntityTag.strong(for: body)
        return Entry(
            identity: representation(body, etag: etag, encoding: nil),
            // A strong tag names one representation, so the gzip form gets its own.
            gzip: gzipped.map { representation($0, etag: EntityTag.variant(of: etag, suffix: "gz"), encoding: "gzip") })
    }

    /// The relative paths of every loaded file (e.g. `css/site.css`), sorted.
    public var paths: [String] { self.files.keys.sorted() }

    /// 200 with Content-Type, strong ETag and Cache-Control (`no-cache` for HTML, an hour otherwise),
    /// gzip-encoded for text files when the client's Accept-Encoding takes gzip;
    /// 304 without a body when If-None-Match matches the chosen form; 404 for anything missing; 405 for methods other than
    /// GET and HEAD. `/` and directories map to their `index.html`.
    public func response(for head: HTTPRequestHead) -> HTTPResponse {
        guard let relative = Self.relativePath(forURLPath: head.path) else { return Self.notFound }
        if relative.isEmpty || relative.hasSuffix("/") {
            return self.respond(self.files[relative + "index.html"], head: head)
        }
        return self.respond(self.files[relative] ?? self.files[relative + "/index.html"], head: head)
    }

    /// Serves a named file (e.g. `event.html` for `/events/x`) with the same caching rules.
    public func response(forFile relativePath: String, head: HTTPRequestHead) -> HTTPResponse {
        let relative = relativePath.hasPrefix("/") ? String(relativePath.dropFirst()) : relativePath
        return self.respond(self.files[relative], head: head)
    }

    private func respond(_ entry: Entry?, head: HTTPRequestHead) -> HTTPResponse {
        guard let entry else { return Self.notFound }
        guard head.method == .get || head.method == .head else {
            var response = HTTPResponse.text(.methodNotAllowed, "Only GET and HEAD are allowed here.\n")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return response
        }
        let chosen = entry.gzip.flatMap { AcceptEncoding.acceptsGzip(head.headers) ? $0 : nil } ?? entry.identity
        let conditions = head.headers.values(for: "If-None-Match")
        if !conditions.isEmpty, EntityTag.ifNoneMatch(conditions, matches: chosen.etag) {
            return HTTPResponse(status: .notModified, headers: chosen.notModifiedHeaders)
        }
        return HTTPResponse(status: .ok, headers: chosen.headers, body: chosen.body)
    }

    private static let notFound = HTTPResponse.text(.notFound, "Not found.\n")

    /// The decoded path without its leading `/` (a trailing `/` kept), or nil when it must not be served.
    static func relativePath(forURLPath path: Substring) -> String? {
        // An encoded slash never names a file segment; refuse it before decoding makes it a separator.
        guard path.utf8.count < 3 || !Self.containsEncodedSlash(path) else { return nil }
        guard let decoded = PercentDecoding.decode(path), decoded.utf8.first == HTTPByte.slash else { return nil }
        guard !decoded.utf8.contains(0), !decoded.utf8.contains(UInt8(ascii: "\\")) else { return nil }
        let segments = decoded.utf8.dropFirst().split(separator: HTTPByte.slash, omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment.isEmpty && index != segments.count - 1 { return nil }
            if segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) { return nil }
        }
        return String(decoded.dropFirst())
    }

    private static func containsEncodedSlash(_ path: Substring) -> Bool {
        let utf8 = Array(path.utf8)
        for i in 0..<(utf8.count - 2) where utf8[i] == UInt8(ascii: "%") {
            let escape = (utf8[i + 1], HTTPByte.lowercased(utf8[i + 2]))
            if escape == (UInt8(ascii: "2"), UInt8(ascii: "f")) || escape == (UInt8(ascii: "5"), UInt8(ascii: "c")) {
                return true
            }
        }
        return false
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
