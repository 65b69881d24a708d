import Foundation
import Sockets
import TLS

#if canImport(Glibc)
import Glibc
#endif

/// One blocking connection for `RehearseHTTP`: a TCP socket whose every call is bounded by a
/// timeout, carrying TLS (our own `TLSConnection`, memory BIOs) when the target is `https://`.
/// Used by one thread at a time.
final class RehearseStream {
    private let fd: Int32
    private let tls: TLSConnection?
    private let timeoutSeconds: Int
    private var scratch = [UInt8](repeating: 0, count: 16 << 10)

    /// Connects and, for a secure target, completes the handshake.
    ///
    /// - Throws: `RehearseHTTP.Failure` saying what failed: the connect, or the handshake (with
    ///   OpenSSL's reason, e.g. `certificate verify failed (self-signed certificate)`).
    init(target: RehearseTarget, timeoutSeconds: Int) throws {
        self.timeoutSeconds = timeoutSeconds
        self.fd = try Self.connect(target, timeoutSeconds: timeoutSeconds)
        guard target.isSecure else {
            self.tls = nil
            return
        }
        do {
            guard let context = target.tls else { throw TLSError("no TLS settings for an https target") }
            self.tls = try context.makeConnection(serverName: target.host)
        } catch {
            Glibc.close(self.fd)
            throw RehearseHTTP.Failure(description: "TLS with \(target.host): \(error)")
        }
        do {
            try self.handshake()
        } catch let error as TLSError {
            throw RehearseHTTP.Failure(description: RehearseTrust.handshakeFailure(host: target.host, error))
        }
    }

    deinit {
        if let tls {
            tls.shutdown()
            try? self.sendRaw(tls.drainCiphertext())
        }
        Glibc.close(self.fd)
    }

    /// Sends every byte.
    func write(_ bytes: [UInt8]) throws {
        guard let tls else { return try self.sendRaw(bytes) }
        try bytes.withUnsafeBytes { try tls.writePlaintext($0) }
        try self.sendRaw(tls.drainCiphertext())
    }

    /// At least one byte of the answer.
    ///
    /// - Throws: `RehearseHTTP.Failure` when the server closed the connection, after the timeout, or on a TLS error.
    func read() throws -> ArraySlice<UInt8> {
        guard let tls else { return try self.receiveRaw() }
        while true {
            let result = try self.scratch.withUnsafeMutableBytes { try tls.readPlaintext(into: $0) }
            switch result {
            case .bytes(let count):
                return self.scratch[..<count]
            case .closed:
                throw RehearseHTTP.Failure(description: "the server closed the connection")
            case .wantRead:
                let ciphertext = try self.receiveRaw()
                ciphertext.withUnsafeBytes { tls.feed($0) }
            }
        }
    }

    private func handshake() throws {
        guard let tls else { return }
        while try tls.handshake() == .inProgress {
            try self.sendRaw(tls.drainCiphertext())
            let ciphertext: ArraySlice<UInt8>
            do {
                ciphertext = try self.receiveRaw()
            } catch {
                throw TLSError("TLS handshake failed: \(error)")
            }
            ciphertext.withUnsafeBytes { tls.feed($0) }
        }
        try self.sendRaw(tls.drainCiphertext())
    }

    private func sendRaw(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw RehearseHTTP.Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    private func receiveRaw() throws -> ArraySlice<UInt8> {
        while true {
            let count = self.scratch.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw RehearseHTTP.Failure(description: "no answer within \(self.timeoutSeconds) s")
            }
            guard count > 0 else {
                throw RehearseHTTP.Failure(
                    description: count == 0 ? "the server closed the connection" : "recv: \(String(cString: strerror(errno)))")
            }
            return self.scratch[..<count]
        }
    }

    /// A blocking socket connected to the target's numeric address, with send/receive (and
    /// connect) timeouts.
    private static func connect(_ target: RehearseTarget, timeoutSeconds: Int) throws -> Int32 {
        let address: SocketAddress
        do {
            address = try SocketAddress(numericHost: target.address, port: target.port)
        } catch {
            throw RehearseHTTP.Failure(description: "not a numeric address: \(target.address)")
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw RehearseHTTP.Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        guard address.withSockaddr({ Glibc.connect(fd, $0, $1) }) == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw RehearseHTTP.Failure(description: "connect to \(target.hostHeader): \(message)")
        }
        return fd
    }
}
