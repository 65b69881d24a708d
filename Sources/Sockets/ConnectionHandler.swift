public import TLS

/// What a protocol layer (HTTP, WebSocket) does with a connection. Every call arrives on the
/// connection's own loop thread, so a handler needs no locks for its own state.
public protocol ConnectionHandler: AnyObject {
    /// Bytes arrived. The buffer is the loop's scratch space: valid only during the call, and the
    /// handler may modify it in place (WebSocket unmasking). Anything kept must be copied.
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer)

    /// The peer finished sending (EOF). The default closes once pending writes are flushed.
    func connectionDidReadEOF(_ connection: Connection)

    /// The deadline set with `Connection.setDeadline` has passed.
    func connectionDeadlinePassed(_ connection: Connection)

    /// The server is stopping: say goodbye (a WebSocket sends 1001) and close.
    func connectionShouldShutDown(_ connection: Connection)

    /// The connection is closed and its descriptor released; drop every reference to it.
    func connectionDidClose(_ connection: Connection)

    /// Everything queued has gone to the kernel, after `Connection.notifyWhenDrained()` asked.
    /// Lets a bulk sender (a resume) keep pace with its reader instead of queuing megabytes.
    func connectionDidDrain(_ connection: Connection)

    /// A `BroadcastGroup` could not queue its frames: this connection's backlog would pass
    /// `maxOutboundBytes` (a reader too slow for the bound). The default closes it at once.
    func connectionBacklogLimitReached(_ connection: Connection)

    /// A client TLS handshake failed (the server's certificate was refused, or the peer does not
    /// speak TLS); `connectionDidClose` follows. Server handlers never hear this: they are made
    /// only once a handshake completes.
    func connectionTLSHandshakeFailed(_ connection: Connection, error: TLSError)
}

extension ConnectionHandler {
    public func connectionDidReadEOF(_ connection: Connection) {
        connection.close(mode: .afterFlush)
    }

    public func connectionShouldShutDown(_ connection: Connection) {
        connection.close(mode: .afterFlush)
    }

    public func connectionDidDrain(_ connection: Connection) {}

    public func connectionBacklogLimitReached(_ connection: Connection) {
        connection.close(mode: .immediately)
    }

    public func connectionTLSHandshakeFailed(_ connection: Connection, error: TLSError) {}
}
