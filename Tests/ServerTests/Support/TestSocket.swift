import Foundation
import Sockets

#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback TCP client with a receive timeout, for talking to the server byte by byte.
/// `@unchecked Sendable`: one thread may send while another receives (the kernel allows it); `buffer`
/// belongs to the receiving thread.
final class TestSocket: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let fd: Int32
    /// Bytes read but not yet consumed (pipelined responses, frames after a 101).
    var buffer: [UInt8] = []

    /// Connects to `host` (a numeric IPv4 or IPv6 address) on `port`, from the local address `source`
    /// when given (any 127.x.y.z works on Linux: one client per loopback address).
    init(port: Int, host: String = "127.0.0.1", source: String? = nil, timeoutSeconds: Int = 5) throws {
        let address = try SocketAddress(numericHost: host, port: port)
        self.fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        guard self.fd >= 0 else { throw Failure(description: "socket failed") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(self.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            let local = try SocketAddress(numericHost: source, port: 0)
            guard local.withSockaddr({ bind(self.fd, $0, $1) }) == 0 else {
                let code = errno
                Glibc.close(self.fd)
                throw Failure(description: "bind to \(source) failed: errno \(code)")
            }
        }
        guard address.withSockaddr({ connect(self.fd, $0, $1) }) == 0 else {
            let code = errno
            Glibc.close(self.fd)
            throw Failure(description: "connect to \(host) port \(port) failed: errno \(code)")
        }
    }

    deinit { Glibc.close(self.fd) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    func send(_ text: String) { self.send(Array(text.utf8)) }

    /// One read into `buffer`; false on EOF, error or timeout.
    @discardableResult
    func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        self.buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Reads whatever has already arrived into `buffer`, without waiting. False once the server
    /// has closed the connection (EOF or reset).
    func readAvailable() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 {
                self.buffer.append(contentsOf: chunk[0..<n])
                continue
            }
            if n == 0 { return false }
            return errno == EAGAIN || errno == EWOULDBLOCK
        }
    }

    /// True when the server closed the connection (EOF or reset) within the timeout.
    func waitForClose() -> Bool {
        while true {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
            self.buffer.append(contentsOf: chunk[0..<n])
        }
    }

    func shutdownWrite() { Glibc.shutdown(self.fd, Int32(SHUT_WR)) }

    /// Reads one HTTP response (Content-Length framed, or until EOF without one).
    func readResponse() throws -> TestResponse {
        while true {
            if let end = self.headEnd() {
                let head = String(decoding: self.buffer[0..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst()
                let parts = statusLine.split(separator: " ", maxSplits: 2)
                guard parts.count >= 2, let status = Int(parts[1]) else {
                    throw Failure(description: "bad status line: \(statusLine)")
                }
                var headers: [(String, String)] = []
                for line in lines where !line.isEmpty {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
                }
                let response = TestResponse(status: status, headers: headers, body: [])
                let bodyStart = end + 4
                if status == 101 || status == 304 || status == 204 {
                    self.buffer.removeFirst(bodyStart)
                    return response
                }
                if let length = response.header("Content-Length").flatMap(Int.init) {
                    while self.buffer.count < bodyStart + length {
                        guard self.fill() else { throw Failure(description: "connection ended inside a body") }
                    }
                    var complete = response
                    complete.body = Array(self.buffer[bodyStart..<(bodyStart + length)])
                    self.buffer.removeFirst(bodyStart + length)
                    return complete
                }
                while self.fill() {}
                var complete = response
                complete.body = Array(self.buffer[bodyStart...])
                self.buffer = []
                return complete
            }
            guard self.fill() else { throw Failure(description: "no response (got \(self.buffer.count) bytes)") }
        }
    }

    private func headEnd() -> Int? {
        guard self.buffer.count >= 4 else { return nil }
        for i in 0...(self.buffer.count - 4)
        where self.buffer[i] == 13 && self.buffer[i + 1] == 10 && self.buffer[i + 2] == 13 && self.buffer[i + 3] == 10 {
            return i
        }
        return nil
    }
}

struct TestResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        self.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: self.body, as: UTF8.self) }

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(self.body)) as? [String: Any] else {
            throw TestSocket.Failure(description: "not a JSON object: \(self.text)")
        }
        return object
    }

    /// The contract's error code, `{"error": {"code": …}}`.
    var errorCode: String? {
        ((try? self.json())?["error"] as? [String: Any])?["code"] as? String
    }
}
