#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a complete request head (request line, field lines, empty line) into an `HTTPRequestHead`
/// and decides how the body is framed, enforcing RFC 9112:
///
/// - request line `method SP request-target SP HTTP-version` with a token method, an origin-form,
///   absolute-form (`http`/`https`) or `*` (OPTIONS only) target, and version 1.x (2+ and 0.x: 505);
/// - field lines `name ":" OWS value OWS` with a token name, no whitespace before the colon,
///   no obsolete line folding and no control characters in the value;
/// - exactly one Host in HTTP/1.1; Content-Length digits only, duplicates agreeing; Transfer-Encoding
///   only `chunked`, never together with Content-Length (request smuggling).
///
/// Related RFC documentation: <https://www.rfc-editor.org/rfc/rfc9112#section-3>,
/// <https://www.rfc-editor.org/rfc/rfc9112#section-6.3>
enum HTTPHeadParser {
    struct RequestLine {
        var method: HTTPMethod
        var target: Range<Int>
        var version: HTTPVersion
    }

    /// Parses the request line ending with the LF at `lineEnd`.
    static func parseRequestLine(_ b: UnsafeRawBufferPointer, lineEnd: Int) throws(HTTPParseError) -> RequestLine {
        let end = lineEnd - 1  // the CR
        var i = 0
        while i < end, HTTPByte.isTokenChar(b[i]) { i += 1 }
        guard i > 0, i < end, b[i] == HTTPByte.space else { throw .invalidMethod }
        let method = Self.method(UnsafeRawBufferPointer(rebasing: b[0..<i]))
        i += 1
        let targetStart = i
        while i < end, b[i] != HTTPByte.space {
            guard HTTPByte.isTargetChar(b[i]) else { throw .invalidTarget }
            i += 1
        }
        guard i > targetStart else { throw .invalidTarget }
        guard i < end else { throw .invalidVersion }
        let version = try Self.version(UnsafeRawBufferPointer(rebasing: b[(i + 1)..<end]))
        return RequestLine(method: method, target: targetStart..<i, version: version)
    }

    /// Parses a whole head; `b` ends with the CRLF of the empty line.
    static func parse(
        _ b: UnsafeRawBufferPointer,
        requestLineEnd: Int,
        fieldCount: Int,
        limits: HTTPParserLimits
    ) throws(HTTPParseError) -> (HTTPRequestHead, HTTPBodyFraming) {
        let line = try Self.parseRequestLine(b, lineEnd: requestLineEnd)
        guard fieldCount <= limits.maxHeaderCount else { throw .tooManyHeaders }
        var framing = HTTPFramingFields()
        var headers = HTTPHeaders()
        headers.fields.reserveCapacity(fieldCount)
        var p = requestLineEnd + 1
        let end = b.count - 2  // the final CRLF
        while p < end {
            // The scanner guarantees every line ends with CRLF, so an LF is always found.
            guard let base = b.baseAddress, let found = memchr(base + p, Int32(HTTPByte.lf), end - p + 2) else { break }
            let lf = base.distance(to: UnsafeRawPointer(found))
            let lineEnd = lf - 1
            guard !HTTPByte.isWhitespace(b[p]) else { throw .obsoleteLineFolding }
            var colon = p
            while colon < lineEnd, HTTPByte.isTokenChar(b[colon]) { colon += 1 }
            if colon < lineEnd, HTTPByte.isWhitespace(b[colon]), colon > p { throw .whitespaceBeforeColon }
            guard colon > p, colon < lineEnd, b[colon] == HTTPByte.colon else { throw .invalidHeaderName }
            var valueStart = colon + 1
            while valueStart < lineEnd, HTTPByte.isWhitespace(b[valueStart]) { valueStart += 1 }
            var valueEnd = lineEnd
            while valueEnd > valueStart, HTTPByte.isWhitespace(b[valueEnd - 1]) { valueEnd -= 1 }
            for j in valueStart..<valueEnd where !HTTPByte.isFieldValueChar(b[j]) { throw .invalidHeaderValue }
            let name = UnsafeRawBufferPointer(rebasing: b[p..<colon])
            let value = UnsafeRawBufferPointer(rebasing: b[valueStart..<valueEnd])
            try framing.observe(name: name, value: value)
            headers.add(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
            p = lf + 1
        }

        var target = String(decoding: UnsafeRawBufferPointer(rebasing: b[line.target]), as: UTF8.self)
        let bodyFraming = try framing.finish(version: line.version, limits: limits)
        if target.utf8.first != HTTPByte.slash {
            if target == "*" {
                guard line.method == .options else { throw .invalidTarget }
            } else {
                let (authority, originForm) = try Self.splitAbsoluteForm(target)
                // RFC 9112 §3.2.2: the authority of an absolute-form target replaces Host.
                headers.replaceOrAdd(name: "Host", value: authority)
                target = originForm
            }
        }
        return (
            HTTPRequestHead(method: line.method, target: target, version: line.version, headers: headers), bodyFraming
        )
    }

    private static func method(_ bytes: UnsafeRawBufferPointer) -> HTTPMethod {
        // The common methods reuse their constants; methods are case-sensitive (RFC 9110 §9.1).
        if bytes.elementsEqual("GET".utf8) { return .get }
        if bytes.elementsEqual("POST".utf8) { return .post }
        return HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
    }

    private static func version(_ v: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPVersion {
        guard v.count == 8, v[0] == UInt8(ascii: "H"), v[1] == UInt8(ascii: "T"), v[2] == UInt8(ascii: "T"),
            v[3] == UInt8(ascii: "P"), v[4] == HTTPByte.slash, v[6] == UInt8(ascii: "."),
            let major = HTTPByte.digitValue(v[5]), let minor = HTTPByte.digitValue(v[7])
        else { throw .invalidVersion }
        guard major == 1 else { throw .unsupportedVersion }
        // RFC 9112 §2.3: a higher minor version is answered as the highest one we support.
        return minor == 0 ? .http1_0 : .http1_1
    }

    /// Splits `http://authority/path?query` into the authority and the origin-form target.
    private static func splitAbsoluteForm(_ target: String) throws(HTTPParseError) -> (String, String) {
        let utf8 = target.utf8
        guard let colon = utf8.firstIndex(of: HTTPByte.colon) else { throw .invalidTarget }
        let scheme = String(target[..<colon]).lowercased()
        guard scheme == "http" || scheme == "https", target[colon...].hasPrefix("://") else { throw .invalidTarget }
        let authorityStart = utf8.index(colon, offsetBy: 3)
        let rest = target[authorityStart...]
        let authorityEnd = rest.utf8.firstIndex { $0 == HTTPByte.slash || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        guard !authority.isEmpty else { throw .invalidTarget }
        let pathAndQuery = rest[authorityEnd...]
        if pathAndQuery.isEmpty { return (authority, "/") }
        if pathAndQuery.utf8.first == UInt8(ascii: "?") { return (authority, "/" + pathAndQuery) }
        return (authority, String(pathAndQuery))
    }
}
