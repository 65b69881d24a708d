import HTTP1
import Testing

@testable import WebSocket

@Suite struct WebSocketHandshakeTests {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    func request(
        method: HTTPMethod = .get, version: HTTPVersion = .http1_1, removing: [String] = [],
        replacing: [(String, String)] = []
    ) -> HTTPRequestHead {
        var headers: HTTPHeaders = [
            "Host": "server.example.com", "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Key": Self.key, "Sec-WebSocket-Version": "13",
        ]
        for name in removing { headers.remove(name: name) }
        for (name, value) in replacing { headers.replaceOrAdd(name: name, value: value) }
        return HTTPRequestHead(method: method, target: "/echo", version: version, headers: headers)
    }

    @Test func rfcAcceptValue() {
        #expect(WebSocketHandshake.acceptValue(forKey: Self.key) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func acceptsTheRfcRequest() {
        #expect(WebSocketHandshake.validate(self.request()) == .success("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
    }

    @Test func acceptsTokensInAnyCaseAndInLists() {
        let head = self.request(replacing: [
            ("Upgrade", "foo/2, WebSocket"), ("Connection", "keep-alive, UPGRADE"), ("Sec-WebSocket-Version", " 13 "),
        ])
        #expect(WebSocketHandshake.validate(head) == .success("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        var split = self.request(removing: ["Connection"])
        split.headers.add(name: "connection", value: "keep-alive")
        split.headers.add(name: "CONNECTION", value: "Upgrade")
        #expect(WebSocketHandshake.validate(split) == .success("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        #expect(WebSocketHandshake.validate(self.request(version: HTTPVersion(major: 1, minor: 2))).isSuccess)
    }

    @Test func refusesOtherMethods() {
        let error = WebSocketHandshake.validate(self.request(method: .post)).failure
        #expect(error?.status == .methodNotAllowed)
        #expect(error?.headers["Allow"] == "GET")
    }

    @Test func refusesHTTP10() {
        #expect(WebSocketHandshake.validate(self.request(version: .http1_0)).failure?.status == .badRequest)
    }

    @Test func refusesMissingHostUpgradeOrConnection() {
        for name in ["Host", "Upgrade", "Connection"] {
            #expect(
                WebSocketHandshake.validate(self.request(removing: [name])).failure?.status == .badRequest, "\(name)")
        }
        #expect(
            WebSocketHandshake.validate(self.request(replacing: [("Upgrade", "h2c")])).failure?.status == .badRequest)
        #expect(
            WebSocketHandshake.validate(self.request(replacing: [("Connection", "keep-alive")])).failure?.status
                == .badRequest)
    }

    @Test func refusesBadKeys() {
        #expect(
            WebSocketHandshake.validate(self.request(removing: ["Sec-WebSocket-Key"])).failure?.status == .badRequest)
        let bad = [
            "", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25j", "dGhlIHNhbXBsZSBub25jZXh4",
            "dGhlIHNhbXBsZSBub25jZ!==",
            "dGhlIHNhbXBsZSBub25jZXh4eHg=",
        ]
        for key in bad {
            let result = WebSocketHandshake.validate(self.request(replacing: [("Sec-WebSocket-Key", key)]))
            #expect(result.failure?.status == .badRequest, "\(key)")
        }
        var twice = self.request()
        twice.headers.add(name: "Sec-WebSocket-Key", value: Self.key)
        #expect(WebSocketHandshake.validate(twice).failure?.status == .badRequest)
    }

    @Test func wrongVersionGets426WithSupportedVersion() {
        for version in ["8", "12", "14", "13, 8", "abc"] {
            let error = WebSocketHandshake.validate(self.request(replacing: [("Sec-WebSocket-Version", version)]))
                .failure
            #expect(error?.status == .upgradeRequired, "\(version)")
            #expect(error?.headers["Sec-WebSocket-Version"] == "13")
        }
        #expect(
            WebSocketHandshake.validate(self.request(removing: ["Sec-WebSocket-Version"])).failure?.status
                == .upgradeRequired)
    }

    @Test func responseBytes() {
        let plain = String(decoding: WebSocketHandshake.response(accept: "abc="), as: UTF8.self)
        #expect(
            plain
                == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: abc=\r\n\r\n"
        )
        let full = String(
            decoding: WebSocketHandshake.response(accept: "abc=", extensions: "permessage-deflate", protocol: "chat"),
            as: UTF8.self)
        #expect(full.hasSuffix("Sec-WebSocket-Extensions: permessage-deflate\r\nSec-WebSocket-Protocol: chat\r\n\r\n"))
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
