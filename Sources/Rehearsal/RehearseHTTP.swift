import Foundation
import HTTP1
import Sockets

/// A small blocking HTTP/1.1 client for the rehearsal's API calls: one keep-alive connection (the
/// engine's `BlockingStream`, TLS for `https://`), used by one thread at a time, `Content-Length`
/// bodies only, every call bounded by `timeoutSeconds`.
final class RehearseHTTP {
    struct Reply: Sendable {
        let status: Int
        let body: [UInt8]

        /// The body as a JSON object, or nil.
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(self.body)) as? [String: Any] }

        /// `error.code` of an error answer.
        var errorCode: String? { (self.json?["error"] as? [String: Any])?["code"] as? String }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let target: RehearseTarget
    let timeoutSeconds: Int
    private var stream: BlockingStream?
    private var pending: [UInt8] = []

    init(target: RehearseTarget, timeoutSeconds: Int = 10) {
        self.target = target
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { self.disconnect() }

    /// Sends one request and reads its answer. A kept-alive connection the server closed meanwhile
    /// is reopened once (a registration repeated that way is answered 200 with the same one).
    func send(_ method: String, _ path: String, json: [String: Any]? = nil, token: String? = nil) throws -> Reply {
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(self.target.hostHeader)\r\nAccept: application/json\r\n"
        head += "Content-Length: \(body.count)\r\n"
        if json != nil { head += "Content-Type: application/json\r\n" }
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let request = Array((head + "\r\n").utf8) + Array(body)
        let reused = self.stream != nil
        do {
            return try self.exchange(request)
        } catch {
            self.disconnect()
            guard reused else { throw error }
            return try self.exchange(request)
        }
    }

    private func exchange(_ request: [UInt8]) throws -> Reply {
        if self.stream == nil { try self.connect() }
        try self.writeAll(request)
        let head = try self.readHead()
        let length = head.contentLength ?? 0
        guard head.header("Transfer-Encoding") == nil else { throw Failure(description: "chunked answers are not supported") }
        while self.pending.count < head.length + length { try self.readMore() }
        let body = Array(self.pending[head.length..<head.length + length])
        self.pending.removeFirst(head.length + length)
        if head.header("Connection")?.lowercased() == "close" { self.disconnect() }
        return Reply(status: head.status, body: body)
    }

    private func readHead() throws -> HTTPResponseHead {
        while true {
            do {
                if let head = try HTTPResponseHead.parse(self.pending) { return head }
            } catch {
                throw Failure(description: error.description)
            }
            guard self.pending.count < 64 << 10 else { throw Failure(description: "answer head too large") }
            try self.readMore()
        }
    }

    /// Connects to the target's resolved address and, for `https://`, completes the handshake
    /// (a refused certificate reads as `RehearseTrust` words it, with the --ca-file hint).
    private func connect() throws {
        let timeout = Duration.seconds(self.timeoutSeconds)
        do {
            let stream = try BlockingStream(host: self.target.address, port: self.target.port, timeout: timeout)
            if self.target.isSecure {
                guard let context = self.target.tls else { throw Failure(description: "no TLS settings for an https target") }
                try stream.startTLS(context, serverName: self.target.host, timeout: timeout)
            }
            self.stream = stream
        } catch let failure as BlockingStream.Failure {
            throw Failure(description: RehearseTrust.withHint(failure.description))
        }
        self.pending.removeAll()
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        guard let stream = self.stream else { throw Failure(description: "not connected") }
        do {
            try stream.write(bytes, timeout: .seconds(self.timeoutSeconds))
        } catch {
            throw Failure(description: error.description)
        }
    }

    private func readMore() throws {
        guard let stream = self.stream else { throw Failure(description: "not connected") }
        do {
            self.pending.append(contentsOf: try stream.read(timeout: .seconds(self.timeoutSeconds)))
        } catch {
            throw Failure(description: error.description)
        }
    }

    private func disconnect() {
        self.stream = nil
        self.pending.removeAll()
    }
}
