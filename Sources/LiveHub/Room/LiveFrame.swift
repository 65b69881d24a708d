public import Sockets
public import Webinar

/// One server message, encoded once and shared by every recipient.
public final class LiveFrame: Sendable {
    public enum Audience: Sendable {
        case everyone
        case hosts
    }

    /// The complete WebSocket frame (header + JSON).
    public let frame: ByteChunk
    /// The same message compressed once (permessage-deflate, 15-bit window, no context takeover),
    /// for members whose connection agreed to it; nil when compression would not pay.
    public let compressed: ByteChunk?
    /// Set for `comment` messages, so a resuming member can drop what it already got.
    public let commentId: Int64?
    /// Set for `held` messages (the review queue), so a host resuming with the queue from the store
    /// can drop the same held comment arriving live.
    public let heldId: Int64?
    public let audience: Audience

    public init(
        frame: ByteChunk, compressed: ByteChunk? = nil, commentId: Int64? = nil, heldId: Int64? = nil,
        audience: Audience = .everyone
    ) {
        self.frame = frame
        self.compressed = compressed
        self.commentId = commentId
        self.heldId = heldId
        self.audience = audience
    }
}

/// A connection in a room. Calls arrive on the member's own loop thread.
public protocol LiveMember: AnyObject {
    var isHost: Bool { get }
    /// Queue the frame for the client (or hold it while a resume is in progress).
    func deliver(_ frame: LiveFrame)
    /// The connection the hub may send the room's frames to directly once the member is promoted,
    /// and whether it takes the compressed form; nil when it can't (closing, not live).
    var fanOutConnection: (connection: Connection, compressed: Bool)? { get }
    /// Apply a change in who may do what in the room (see ``MemberChange``).
    func apply(_ change: MemberChange)
}

extension LiveMember {
    public func apply(_ change: MemberChange) {}
}

/// A change to what a room's members may do, applied by each member to itself, in order with the
/// room's frames: permissions follow the registration and the event while a socket stays open.
public enum MemberChange: Sendable, Equatable {
    /// The event's settings changed (public viewing turned off, say): members re-check their access.
    case accessRulesChanged
    /// The registration whose public author id this is now has `status` (cancelled, promoted, …).
    case registrationChanged(authorId: String, status: RegistrationStatus)
}
