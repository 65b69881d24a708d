import Foundation

/// A dedicated connection that `LISTEN`s on one channel, for the node-to-node bus: the pool's
/// connections are shared and cannot wait, so notifications get a connection of their own.
///
/// Not thread-safe: one thread owns it (the bus's listener thread), hence `@unchecked Sendable`
/// only so that thread's closure can carry it.
public final class PGListener: @unchecked Sendable {
    private let connection: PGConnection
    public let channel: String

    /// Connects and starts listening; throws when the server cannot be reached.
    public init(url: String, channel: String) throws {
        guard channel.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !channel.isEmpty else {
            throw PGError("a channel name is letters, digits and underscores")
        }
        self.channel = channel
        self.connection = try PGConnection(url)
        try self.connection.query("LISTEN \(channel)")
    }

    /// Waits up to `milliseconds` for notifications on the channel; throws when the connection is lost.
    public func wait(milliseconds: Int32) throws -> [PGNotification] {
        try self.connection.waitForNotifications(milliseconds: milliseconds).filter { $0.channel == self.channel }
    }

    public func close() {
        self.connection.close()
    }
}
