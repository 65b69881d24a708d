import CLinux
public import TLS

#if canImport(Glibc)
import Glibc
#endif

extension EventLoop {
    /// Opens a client TCP connection to `host:port` (a numeric IPv4 or IPv6 address) and registers
    /// it on this loop like an accepted one: the handler `handlerFactory` makes gets the same callbacks.
    ///
    /// The connect is non-blocking. Bytes the handler writes before it completes wait in the
    /// outbound queue (the kernel answers `EAGAIN`) and leave once the socket turns writable. A
    /// refused or failed connect shows up as `connectionDidClose` without any read. Call on this
    /// loop's thread (`execute` gets you there). Counted in the stats as an accepted connection.
    ///
    /// With `tls`, the connection speaks TLS as a client: the handler is made at once and may write
    /// right away (plaintext waits until the handshake completes), a failed handshake reaches it as
    /// `connectionTLSHandshakeFailed` before `connectionDidClose`. `serverName` is sent as SNI and,
    /// when `tls` verifies, must match the server's certificate.
    ///
    /// - Throws: `IOError` when the address is not numeric or the socket cannot be made, or when
    ///   the kernel refuses the connect at once; `TLSError` when no TLS session can be made.
    public func connect(
        host: String, port: Int, tls: TLSContext? = nil, serverName: String? = nil,
        handlerFactory: @escaping @Sendable (Connection) -> any ConnectionHandler
    ) throws {
        assert(self.inEventLoop, "connect called off its loop")
        let session = try tls?.makeConnection(serverName: serverName ?? host)
        let fd = try Self.connectSocket(host: host, port: port)
        // A listener stand-in that only carries the factory: no descriptor, no server TLS.
        self.register(fd: fd, listener: Listener(fd: -1, handlerFactory: handlerFactory), clientTLS: session)
    }

    /// A non-blocking socket whose connect to the numeric `host` has started.
    private static func connectSocket(host: String, port: Int) throws(IOError) -> Int32 {
        try SocketAddress(numericHost: host, port: port).startConnect()
    }
}
