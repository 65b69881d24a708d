import Foundation

/// A small blocking HTTP/1.1 client for the rehearsal's API calls: one keep-alive connection (TLS
/// for `https://`, see `RehearseStream`), used by one thread at a time, `Content-Length` bodies only, every call bounded by `timeoutSeconds`.
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
    private var stream: RehearseStream?
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
        let (status, headers, headEnd) = try self.readHead()
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard headers["transfer-encoding"] == nil else { throw Failure(description: "chunked answers are not supported") }
        while self.pending.count < headEnd + length { try self.readMore() }
        let body = Array(self.pending[headEnd..<headEnd + length])
        self.pending.removeFirst(headEnd + length)
        if headers["connection"]?.lowercased() == "close" { self.disconnect() }
        return Reply(status: status, body: body)
    }

    private func readHead() throws -> (Int, [String: String], Int) {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var searchFrom = 0
        while true {
            if self.pending.count >= 4 {
                for index in searchFrom...(self.pending.count - 4) where self.pending[index..<index + 4].elementsEqual(terminator) {
                    return try Self.parseHead(self.pending[..<index], end: index + 4)
                }
                searchFrom = self.pending.count - 3
            }
            guard self.pending.count < 64 << 10 else { throw Failure(description: "answer head too large") }
            try self.readMore()
        }
    }

    private static func parseHead(_ bytes: ArraySlice<UInt8>, end: Int) throws -> (Int, [String: String], Int) {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw Failure(description: "not an HTTP answer: \(lines.first ?? "")")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers, end)
    }

    private func connect() throws {
        self.stream = try RehearseStream(target: self.target, timeoutSeconds: self.timeoutSeconds)
        self.pending.removeAll()
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        guard let stream = self.stream else { throw Failure(description: "not connected") }
        try stream.write(bytes)
    }

    private func readMore() throws {
        guard let stream = self.stream else { throw Failure(description: "not connected") }
        self.pending.append(contentsOf: try stream.read())
    }

    private func disconnect() {
        self.stream = nil
        self.pending.removeAll()
    }
}
