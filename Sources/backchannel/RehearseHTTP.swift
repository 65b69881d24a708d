import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client for the rehearsal's API calls: one keep-alive connection, used by
/// one thread at a time, `Content-Length` bodies only, every call bounded by `timeoutSeconds`.
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
    private var fd: Int32 = -1
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
        let reused = self.fd >= 0
        do {
            return try self.exchange(request)
        } catch {
            self.disconnect()
            guard reused else { throw error }
            return try self.exchange(request)
        }
    }

    private func exchange(_ request: [UInt8]) throws -> Reply {
        if self.fd < 0 { try self.connect() }
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
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: self.timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(self.target.port).bigEndian)
        inet_pton(AF_INET, self.target.address, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw Failure(description: "connect to \(self.target.hostHeader): \(message)")
        }
        self.fd = fd
        self.pending.removeAll()
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    private func readMore() throws {
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw Failure(description: "no answer within \(self.timeoutSeconds) s")
            }
            guard count > 0 else {
                throw Failure(description: count == 0 ? "the server closed the connection" : "recv: \(String(cString: strerror(errno)))")
            }
            self.pending.append(contentsOf: buffer[..<count])
            return
        }
    }

    private func disconnect() {
        if self.fd >= 0 { Glibc.close(self.fd) }
        self.fd = -1
        self.pending.removeAll()
    }
}
