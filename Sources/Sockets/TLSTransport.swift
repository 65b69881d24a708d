import DequeModule
import TLS

/// The TLS state a `Connection` carries when it was accepted on a TLS listener or opened with
/// `EventLoop.connect(tls:)`; plain connections carry none (`Connection.tls` is nil and costs one pointer).
///
/// Plaintext written by the handler waits in `Connection.outbound` as usual and is encrypted at
/// flush time, so everything queued in one loop turn becomes records together and leaves in one
/// write. Ciphertext the kernel refused waits here, in `ciphertext`, ahead of anything newer.
final class TLSTransport {
    /// Small plaintext chunks are gathered up to this size before being encrypted, so that many
    /// small frames become one record (one AEAD pass, 22–29 bytes of overhead) instead of many.
    static let recordCoalescingBytes = 16 << 10
    /// At most this much plaintext is encrypted ahead of what the kernel has accepted.
    static let encryptionBudgetBytes = 64 << 10

    let session: TLSConnection
    /// Makes the handler once the handshake completes: until then, no protocol layer sees the
    /// connection, and the handshake deadline is the only one.
    var pendingHandlerFactory: (@Sendable (Connection) -> any ConnectionHandler)?
    var ciphertext: Deque<ByteChunk> = []
    var ciphertextHeadOffset = 0

    init(session: TLSConnection, handlerFactory: @escaping @Sendable (Connection) -> any ConnectionHandler) {
        self.session = session
        self.pendingHandlerFactory = handlerFactory
    }

    /// A client connection's transport: its handler already exists (it must hear of a failed
    /// handshake, and may queue its request before the handshake is done).
    init(clientSession: TLSConnection) {
        self.session = clientSession
        self.pendingHandlerFactory = nil
    }
}
