/// Serializes responses into the bytes that go on the wire, in one buffer sized up front.
///
/// Enforces RFC 9110/9112 framing so handlers cannot get it wrong: `Content-Length` is added from the
/// body (never sent for 1xx, 204 or 304, which have no body), the body is omitted for HEAD, and
/// CR/LF in header names or values are replaced by spaces so a value can never inject a header.
public enum HTTPResponseWriter {
    /// Status line, headers (adds Date; Content-Length except for 1xx/204/304; `Connection: close` when
    /// `!keepAlive`), body (omitted for HEAD).
    /// - Parameters:
    ///   - date: the IMF-fixdate for the `Date` header, usually `HTTPDateCache.current`.
    ///   - keepAlive: whether the connection stays open; if not, `Connection: close` replaces any Connection field.
    ///   - isHead: the request was HEAD: headers describe the body, but the body is not sent.
    ///   - requestVersion: the request's version; an HTTP/1.0 keep-alive gets `Connection: keep-alive`.
    public static func serialize(
        _ response: HTTPResponse,
        date: String,
        keepAlive: Bool,
        isHead: Bool = false,
        requestVersion: HTTPVersion = .http1_1
    ) -> [UInt8] {
        let code = response.status.code
        let bodyless = (100..<200).contains(code) || code == 204 || code == 304
        var out: [UInt8] = []
        out.reserveCapacity(256 + response.headers.count * 48 + (isHead || bodyless ? 0 : response.body.count))
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        Self.appendDecimal(min(max(code, 0), 999), to: &out)
        out.append(HTTPByte.space)
        Self.appendSanitized(response.status.reason, to: &out)
        out.append(contentsOf: [HTTPByte.cr, HTTPByte.lf])

        var hasDate = false
        var hasContentLength = false
        var hasConnection = false
        for field in response.headers {
            if HTTPByte.equalsIgnoringCase(field.name, "Connection") {
                if !keepAlive { continue }
                hasConnection = true
            } else if HTTPByte.equalsIgnoringCase(field.name, "Content-Length") {
                if bodyless && code != 304 { continue }
                hasContentLength = true
            } else if HTTPByte.equalsIgnoringCase(field.name, "Date") {
                hasDate = true
            }
            Self.appendField(field.name, field.value, to: &out)
        }
        if !hasDate { Self.appendField("Date", date, to: &out) }
        if !hasContentLength && !bodyless {
            out.append(contentsOf: "Content-Length: ".utf8)
            Self.appendDecimal(response.body.count, to: &out)
            out.append(contentsOf: [HTTPByte.cr, HTTPByte.lf])
        }
        if !keepAlive {
            Self.appendField("Connection", "close", to: &out)
        } else if requestVersion == .http1_0 && !hasConnection {
            Self.appendField("Connection", "keep-alive", to: &out)
        }
        out.append(contentsOf: [HTTPByte.cr, HTTPByte.lf])
        if !isHead && !bodyless { out.append(contentsOf: response.body) }
        return out
    }

    private static func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
        Self.appendSanitized(name, to: &out)
        out.append(contentsOf: [HTTPByte.colon, HTTPByte.space])
        Self.appendSanitized(value, to: &out)
        out.append(contentsOf: [HTTPByte.cr, HTTPByte.lf])
    }

    /// Appends the UTF-8 of `s`, turning CR, LF and NUL into spaces (no header injection).
    private static func appendSanitized(_ s: String, to out: inout [UInt8]) {
        let appended = s.utf8.withContiguousStorageIfAvailable { utf8 in
            guard !utf8.contains(where: Self.isForbidden) else { return false }
            out.append(contentsOf: utf8)
            return true
        }
        if appended == true { return }
        for byte in s.utf8 { out.append(Self.isForbidden(byte) ? HTTPByte.space : byte) }
    }

    @inline(__always)
    private static func isForbidden(_ byte: UInt8) -> Bool {
        byte == HTTPByte.cr || byte == HTTPByte.lf || byte == 0
    }

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)  // a small string: no allocation
    }
}
