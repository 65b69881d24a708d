import CLibPQ
import Glibc

/// One notification from `LISTEN`: the channel and the payload text.
public struct PGNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
}

/// What a listening connection needs besides statements: its socket to wait on, reading what
/// arrived without blocking, and taking the queued notifications.
///
/// Related PostgreSQL documentation: <https://www.postgresql.org/docs/15/libpq-notify.html>
extension PGConnection {
    /// Waits up to `milliseconds` for input, reads it, and returns the notifications it carried.
    /// Throws when the connection is lost, so the caller can reconnect.
    func waitForNotifications(milliseconds: Int32) throws -> [PGNotification] {
        guard let handle = self.rawHandle else { throw PGError("connection closed") }
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw PGError("connection lost") }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0, errno != EINTR { throw PGError("poll failed: errno \(errno)") }
        if ready > 0 {
            guard PQconsumeInput(handle) == 1 else {
                throw PGError("connection lost: \(String(cString: PQerrorMessage(handle)))")
            }
        }
        var notifications: [PGNotification] = []
        while let notify = PQnotifies(handle) {
            notifications.append(
                PGNotification(
                    channel: String(cString: notify.pointee.relname), payload: String(cString: notify.pointee.extra)))
            PQfreemem(notify)
        }
        if PQstatus(handle) == CONNECTION_BAD { throw PGError("connection lost") }
        return notifications
    }
}
