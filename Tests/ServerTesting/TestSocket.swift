import Foundation
import Sockets
public import TLS

#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback TCP client with a receive timeout, for talking to the server byte by byte,
/// in plaintext or through TLS (our own `TLSConnection` in client mode, memory BIOs).
///
/// `@unchecked Sendable`: one thread may send while another receives (the kernel allows it on a
/// plain socket); `buffer` and the TLS session belong to the thread that receives.
public final class TestSocket: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public let fd: Int32
    /// The TLS session of a TLS client (see `init(port:tls:…)`), nil in plaintext.
    public let tls: TLSConnection?
    /// Plaintext bytes read but not yet consumed (pipelined responses, frames after a 101).
    public var buffer: [UInt8] = []
    /// Ciphertext bytes received so far (to check how records were packed); plaintext ones without TLS.
    public private(set) var bytesReceived = 0
    /// Whether the server's TLS close_notify arrived.
    public private(set) var sawCloseNotify = false

    /// Connects to `host` (a numeric IPv4 or IPv6 address) on `port`, from the local address `source`
    /// when given (any 127.x.y.z works on Linux: one client per loopback address).
    public convenience init(port: Int, host: String = "127.0.0.1", source: String? = nil, timeoutSeconds: Int = 5) throws {
        try self.init(port: port, host: host, source: source, timeoutSeconds: timeoutSeconds, tls: nil)
    }

    /// Connects for TLS without handshaking, so a test can send raw bytes first; call `handshake()`
    /// before `send`. `serverName` is the SNI name and the one the certificate is checked against.
    public convenience init(
        port: Int, host: String = "127.0.0.1", tls context: TLSContext, serverName: String = "localhost", timeoutSeconds: Int = 5
    ) throws {
        try self.init(
            port: port, host: host, source: nil, timeoutSeconds: timeoutSeconds,
            tls: try context.makeConnection(serverName: serverName))
    }

    private init(port: Int, host: String, source: String?, timeoutSeconds: Int, tls: TLSConnection?) throws {
        let address = try SocketAddress(numericHost: host, port: port)
        self.tls = tls
        self.fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard self.fd >= 0 else { throw Failure(description: "socket failed: errno \(errno)") }
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

    /// Completes the TLS handshake (nothing to do in plaintext).
    ///
    /// - Throws: `TLSError` with OpenSSL's reason, or `Failure` when the server closed first.
    public func handshake() throws {
        guard let tls else { return }
        while try tls.handshake() == .inProgress {
            self.sendRaw(tls.drainCiphertext())
            guard let bytes = self.receiveRaw() else { throw Failure(description: "closed during the handshake") }
            bytes.withUnsafeBytes { tls.feed($0) }
        }
        self.sendRaw(tls.drainCiphertext())
    }

    /// Sends every byte (encrypted over TLS); stops quietly when the server has gone, which the
    /// next read then shows.
    public func send(_ bytes: [UInt8]) {
        guard let tls else { return self.sendRaw(bytes) }
        do {
            try bytes.withUnsafeBytes { try tls.writePlaintext($0) }
        } catch {
            Glibc.shutdown(self.fd, Int32(SHUT_RDWR))
            return
        }
        self.sendRaw(tls.drainCiphertext())
    }

    public func send(_ text: String) { self.send(Array(text.utf8)) }

    /// Bytes as they are on the wire, past TLS.
    public func sendRaw(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// One read from the wire, past TLS; nil on EOF, reset or timeout.
    public func receiveRaw() -> [UInt8]? {
        guard case .bytes(let bytes) = self.recvOnce(flags: 0) else { return nil }
        return bytes
    }

    /// One read into `buffer`; false on EOF, close_notify, error or timeout.
    @discardableResult
    public func fill() -> Bool {
        (try? self.readOnce(flags: 0)) == .data
    }

    /// Reads until `buffer` holds `count` bytes or the connection ends (EOF, close_notify, timeout),
    /// and hands over everything read.
    ///
    /// - Throws: `TLSError` for a TLS failure (a bad record, an alert).
    public func receive(count: Int) throws -> [UInt8] {
        while self.buffer.count < count, try self.readOnce(flags: 0) == .data {}
        defer { self.buffer = [] }
        return self.buffer
    }

    /// Reads whatever has already arrived into `buffer`, without waiting. False once the server
    /// has closed the connection (EOF or reset).
    public func readAvailable() -> Bool {
        while true {
            switch try? self.readOnce(flags: Int32(MSG_DONTWAIT)) {
            case .data: continue
            case .wouldBlock: return true
            default: return false
            }
        }
    }

    /// True when the server closed the connection (EOF, close_notify or reset) within the timeout.
    public func waitForClose() -> Bool {
        while true {
            switch try? self.readOnce(flags: 0) {
            case .data: continue
            case .closed: return true
            default: return false
            }
        }
    }

    public func shutdownWrite() { Glibc.shutdown(self.fd, Int32(SHUT_WR)) }

    private enum ReadResult: Equatable {
        /// Plaintext appended to `buffer`.
        case data
        /// EOF, reset or close_notify.
        case closed
        /// Nothing yet: the timeout passed, or nothing waiting with `MSG_DONTWAIT`.
        case wouldBlock
        case failed
    }

    private enum RawRead {
        case bytes([UInt8])
        case end(ReadResult)
    }

    /// One step of reading plaintext into `buffer`: at most one `recv`.
    private func readOnce(flags: Int32) throws -> ReadResult {
        guard let tls else {
            switch self.recvOnce(flags: flags) {
            case .bytes(let bytes):
                self.buffer += bytes
                return .data
            case .end(let result):
                return result
            }
        }
        var scratch = [UInt8](repeating: 0, count: 65536)
        while true {
            switch try scratch.withUnsafeMutableBytes({ try tls.readPlaintext(into: $0) }) {
            case .bytes(let n):
                self.buffer += scratch[0..<n]
                return .data
            case .closed:
                self.sawCloseNotify = true
                return .closed
            case .wantRead:
                switch self.recvOnce(flags: flags) {
                case .bytes(let bytes): bytes.withUnsafeBytes { tls.feed($0) }
                case .end(let result): return result
                }
            }
        }
    }

    private func recvOnce(flags: Int32) -> RawRead {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, flags) }
        if n > 0 {
            self.bytesReceived += n
            return .bytes(Array(chunk[0..<n]))
        }
        if n == 0 || errno == ECONNRESET { return .end(.closed) }
        return .end(errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .failed)
    }
}
