package import Webinar

/// How a room's traffic reaches its members: on one node straight into the hub (`LocalBus`); with
/// several nodes on one PostgreSQL database, through the database so every node's members see every
/// node's traffic in one order (`PostgresBus`, in LiveHubPostgres).
package protocol LiveBus: Sendable {
    /// A comment this node's writer just committed; called on the writer thread, in id order.
    func commentCommitted(_ comment: Comment)
    /// A room message from this node (moderation, likes, settings), for every node's members.
    func publish(_ message: RoomMessage, eventId: Int64)
    /// A member subscribed and is about to read its backlog: from now on this node must deliver the
    /// room's comments. Runs on a store thread, before the backlog read.
    func roomJoined(eventId: Int64) throws
    func stop()
}
