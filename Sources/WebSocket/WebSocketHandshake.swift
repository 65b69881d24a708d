internal import COpenSSL
public import HTTP1

/// The opening handshake, server side (RFC 6455 §4.2).
public enum WebSocketHandshake {
    /// Appended to the client's key before hashing (RFC 6455 §1.3).
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// `Sec-WebSocket-Accept`: base64(SHA-1(key + guid)) (RFC 6455 §4.2.2 item 5.4).
    public static func acceptValue(forKey key: String) -> String {
        let input = Array((key + self.guid).utf8)
        var digest = [UInt8](repeating: 0, count: 20)
        input.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { digest in
                _ = SHA1(input.baseAddress, input.count, digest.baseAddress)
            }
        }
        return Base64.encode(digest)
    }

    /// Validates an upgrade request (RFC 6455 §4.2.1): GET, HTTP/1.1 or later, one Host, `Upgrade`
    /// with token `websocket` and `Connection` with token `upgrade` (any case, in lists), one
    /// Sec-WebSocket-Key that is base64 of exactly 16 bytes, and Sec-WebSocket-Version 13.
    ///
    /// - Returns: the `Sec-WebSocket-Accept` value, or the refusal: 405 with `Allow: GET` for another
    ///   method, 426 with `Sec-WebSocket-Version: 13` for another version (§4.2.2), else 400.
    public static func validate(_ head: HTTPRequestHead) -> Result<String, WebSocketHandshakeError> {
        let headers = head.headers
        guard head.method == .get else {
            return .failure(
                WebSocketHandshakeError(
                    status: .methodNotAllowed, message: "WebSocket upgrade requires GET", headers: ["Allow": "GET"]))
        }
        guard head.version.major > 1 || (head.version.major == 1 && head.version.minor >= 1) else {
            return .failure(.badRequest("WebSocket upgrade requires HTTP/1.1 or later"))
        }
        guard headers.values(for: "Host").count == 1 else {
            return .failure(.badRequest("exactly one Host header required"))
        }
        guard headers.contains(name: "Upgrade", token: "websocket") else {
            return .failure(.badRequest("Upgrade header must contain websocket"))
        }
        guard headers.contains(name: "Connection", token: "upgrade") else {
            return .failure(.badRequest("Connection header must contain upgrade"))
        }
        let versions = headers.tokens(for: "Sec-WebSocket-Version")
        guard versions == ["13"] else {
            return .failure(
                WebSocketHandshakeError(
                    status: .upgradeRequired, message: "unsupported WebSocket version",
                    headers: ["Sec-WebSocket-Version": "13"]))
        }
        let keys = headers.values(for: "Sec-WebSocket-Key")
        guard keys.count == 1 else {
            return .failure(.badRequest("exactly one Sec-WebSocket-Key header required"))
        }
        let key = keys[0].trimmingOWS()
        guard let decoded = Base64.decode(key), decoded.count == 16 else {
            return .failure(.badRequest("Sec-WebSocket-Key must be base64 of 16 bytes"))
        }
        return .success(self.acceptValue(forKey: key))
    }

    /// The `101 Switching Protocols` response (RFC 6455 §4.2.2 item 5), with the negotiated
    /// extensions and subprotocol when there are any.
    public static func response(accept: String, extensions: String? = nil, protocol: String? = nil) -> [UInt8] {
        var text = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        text += "Sec-WebSocket-Accept: \(accept)\r\n"
        if let extensions { text += "Sec-WebSocket-Extensions: \(extensions)\r\n" }
        if let `protocol` { text += "Sec-WebSocket-Protocol: \(`protocol`)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (RFC 9110 §5.6.3 OWS).
    func trimmingOWS() -> String {
        var utf8 = Substring(self).utf8
        while let first = utf8.first, first == 0x20 || first == 0x09 { utf8 = utf8.dropFirst() }
        while let last = utf8.last, last == 0x20 || last == 0x09 { utf8 = utf8.dropLast() }
        return String(Substring(utf8))
    }
}
