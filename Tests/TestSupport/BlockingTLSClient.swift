import Foundation
import TLS

#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback TLS client built on `TLSConnection` in client mode, for driving a server.
public final class BlockingTLSClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public let fd: Int32
    public let session: TLSConnection
    /// Ciphertext bytes received so far (to check how records were packed).
    public private(set) var ciphertextReceived = 0
    public private(set) var sawCloseNotify = false

    /// Connects without handshaking (see `handshake()`).
    public init(port: Int, context: TLSContext, timeoutSeconds: Int = 5) throws {
        self.fd = try Self.connect(port: port, timeoutSeconds: timeoutSeconds)
        self.session = try context.makeConnection(serverName: "localhost")
    }

    deinit { close(self.fd) }

    public static func connect(port: Int, timeoutSeconds: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect failed: errno \(errno)")
        }
        return fd
    }

    public func handshake() throws {
        while try self.session.handshake() == .inProgress {
            self.sendRaw(self.session.drainCiphertext())
            guard let bytes = self.receiveRaw() else { throw Failure(description: "closed during the handshake") }
            bytes.withUnsafeBytes { self.session.feed($0) }
        }
        self.sendRaw(self.session.drainCiphertext())
    }

    public func send(_ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try self.session.writePlaintext($0) }
        self.sendRaw(self.session.drainCiphertext())
    }

    /// Plaintext until `count` bytes have arrived, or whatever came before EOF/close_notify/timeout.
    public func receive(count: Int) throws -> [UInt8] {
        var plaintext: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while plaintext.count < count {
            let result = try buffer.withUnsafeMutableBytes { try self.session.readPlaintext(into: $0) }
            switch result {
            case .bytes(let n):
                plaintext += buffer[0..<n]
            case .closed:
                self.sawCloseNotify = true
                return plaintext
            case .wantRead:
                guard let bytes = self.receiveRaw() else { return plaintext }
                bytes.withUnsafeBytes { self.session.feed($0) }
            }
        }
        return plaintext
    }

    public func sendRaw(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// One read; nil on EOF, reset or timeout.
    public func receiveRaw() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        self.ciphertextReceived += n
        return Array(chunk[0..<n])
    }
}
