import CLinux
public import TLS

#if canImport(Glibc)
import Glibc
#endif

/// One blocking client connection for work that is sequential by nature (an SMTP session, a test
/// client): every call has its own deadline, enforced with `poll`, and the bytes may go through TLS
/// (our memory-BIO `TLSConnection`), from the start or after a STARTTLS-style upgrade.
///
/// Never use it on an event-loop thread: it blocks for up to each call's timeout. One thread at a time.
public final class BlockingStream {
    /// A connection that failed, timed out or was closed, as a sentence.
    public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    private let fd: Int32
    private var tls: TLSConnection?
    private var scratch = [UInt8](repeating: 0, count: 16 << 10)
    private var closed = false
    /// The address the connection went to (`127.0.0.1:587`), for messages.
    public let peer: String

    /// Resolves `host` (IPv4 first), connects within `timeout` (trying each address in turn).
    public init(host: String, port: Int, timeout: Duration) throws(Failure) {
        let addresses: [SocketAddress]
        do {
            addresses = try SocketAddress.lookUp(host: host, port: port)
        } catch {
            throw Failure("cannot resolve \(host): \(error)")
        }
        var lastError = "\(host) has no address"
        for address in addresses {
            let text = address.family == AF_INET6 ? "[\(address.numericHost)]:\(port)" : "\(address.numericHost):\(port)"
            do {
                self.fd = try Self.connect(address, timeout: timeout)
                self.peer = text
                return
            } catch {
                lastError = "connect to \(text): \(error.description)"
            }
        }
        throw Failure(lastError)
    }

    deinit { self.close() }

    /// Whether bytes now go through TLS.
    public var isSecure: Bool { self.tls != nil }

    /// The TLS engine once secure (protocol version, peer certificate).
    public var tlsConnection: TLSConnection? { self.tls }

    /// Runs a TLS handshake as a client over the connection (at once for implicit TLS, or after the
    /// peer agreed to STARTTLS), checking the certificate against `context`'s trust for `serverName`.
    public func startTLS(_ context: TLSContext, serverName: String, timeout: Duration) throws(Failure) {
        let session: TLSConnection
        do {
            session = try context.makeConnection(serverName: serverName)
        } catch {
            throw Failure("TLS with \(serverName): \(error)")
        }
        let deadline = Self.deadline(timeout)
        do {
            while try session.handshake() == .inProgress {
                try self.sendRaw(session.drainCiphertext(), deadline: deadline)
                let count = try self.receiveRaw(deadline: deadline)
                self.scratch.withUnsafeBytes { session.feed(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            }
            try self.sendRaw(session.drainCiphertext(), deadline: deadline)
        } catch let error as TLSError {
            throw Failure("TLS handshake with \(serverName) failed: \(Self.reason(error))")
        } catch let error as Failure {
            throw Failure("TLS handshake with \(serverName) failed: \(error.description)")
        } catch {
            throw Failure("TLS handshake with \(serverName) failed: \(error)")
        }
        self.tls = session
    }

    /// Sends every byte before `timeout` passes.
    public func write(_ bytes: [UInt8], timeout: Duration) throws(Failure) {
        let deadline = Self.deadline(timeout)
        guard let tls else { return try self.sendRaw(bytes, deadline: deadline) }
        do {
            try bytes.withUnsafeBytes { try tls.writePlaintext($0) }
        } catch {
            throw Failure("TLS write failed: \(error)")
        }
        try self.sendRaw(tls.drainCiphertext(), deadline: deadline)
    }

    /// At least one byte from the peer, within `timeout`.
    ///
    /// - Throws: ``Failure`` when the peer closed the connection, on timeout, or on a TLS error.
    public func read(timeout: Duration) throws(Failure) -> ArraySlice<UInt8> {
        let deadline = Self.deadline(timeout)
        guard let tls else {
            let count = try self.receiveRaw(deadline: deadline)
            return self.scratch[..<count]
        }
        while true {
            let result: TLSConnection.ReadResult
            do {
                result = try self.scratch.withUnsafeMutableBytes { try tls.readPlaintext(into: $0) }
            } catch {
                throw Failure("TLS read failed: \(error)")
            }
            switch result {
            case .bytes(let count):
                return self.scratch[..<count]
            case .closed:
                throw Failure("the peer closed the connection")
            case .wantRead:
                let count = try self.receiveRaw(deadline: deadline)
                self.scratch.withUnsafeBytes { tls.feed(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            }
        }
    }

    /// Sends TLS close_notify when secure (without waiting) and closes the socket; idempotent.
    public func close() {
        guard !self.closed else { return }
        self.closed = true
        if let tls {
            tls.shutdown()
            let bytes = tls.drainCiphertext()
            _ = bytes.withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        }
        Glibc.close(self.fd)
    }

    // MARK: Raw bytes with deadlines

    private func sendRaw(_ bytes: [UInt8], deadline: UInt64) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(self.fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                offset += written
                continue
            }
            let err = clinux_errno()
            if written < 0 && err == EINTR { continue }
            if written < 0 && (err == EAGAIN || err == EWOULDBLOCK) {
                try self.wait(for: Int16(POLLOUT), deadline: deadline, doing: "sending")
                continue
            }
            throw Failure("send to \(self.peer) failed: \(String(cString: strerror(err)))")
        }
    }

    /// Reads into `scratch`; returns the count (at least 1).
    private func receiveRaw(deadline: UInt64) throws(Failure) -> Int {
        while true {
            let count = self.scratch.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return count }
            if count == 0 { throw Failure("the peer closed the connection") }
            let err = clinux_errno()
            if err == EINTR { continue }
            guard err == EAGAIN || err == EWOULDBLOCK else {
                throw Failure("receive from \(self.peer) failed: \(String(cString: strerror(err)))")
            }
            try self.wait(for: Int16(POLLIN), deadline: deadline, doing: "waiting for an answer")
        }
    }

    private func wait(for events: Int16, deadline: UInt64, doing: String) throws(Failure) {
        try Self.poll(self.fd, events: events, deadline: deadline, timeoutMessage: "no progress \(doing) from \(self.peer) in time")
    }

    private static func poll(_ fd: Int32, events: Int16, deadline: UInt64, timeoutMessage: String) throws(Failure) {
        while true {
            let now = monotonicMilliseconds()
            guard now < deadline else { throw Failure(timeoutMessage) }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = Glibc.poll(&descriptor, 1, Int32(clamping: deadline - now))
            if ready > 0 { return }
            if ready < 0 && clinux_errno() != EINTR {
                throw Failure("poll failed: \(String(cString: strerror(clinux_errno())))")
            }
        }
    }

    private static func deadline(_ timeout: Duration) -> UInt64 {
        let (seconds, attoseconds) = timeout.components
        return monotonicMilliseconds() + UInt64(max(0, seconds)) * 1000 + UInt64(max(0, attoseconds) / 1_000_000_000_000_000)
    }

    /// A non-blocking socket connected to `address` within `timeout`.
    private static func connect(_ address: SocketAddress, timeout: Duration) throws(Failure) -> Int32 {
        let fd: Int32
        do {
            fd = try address.startConnect()
        } catch {
            throw Failure(String(cString: strerror(error.errnoCode)))
        }
        do {
            try Self.poll(fd, events: Int16(POLLOUT), deadline: Self.deadline(timeout), timeoutMessage: "timed out")
        } catch {
            Glibc.close(fd)
            throw error
        }
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
        guard code == 0 else {
            Glibc.close(fd)
            throw Failure(String(cString: strerror(code)))
        }
        return fd
    }

    /// OpenSSL's reason without the repeated "TLS handshake failed" prefix.
    private static func reason(_ error: TLSError) -> String {
        var text = error.description
        for prefix in ["TLS handshake failed: ", "TLS handshake failed"] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
        }
        return text.isEmpty ? "refused" : text
    }
}

@available(*, unavailable)
extension BlockingStream: Sendable {}
