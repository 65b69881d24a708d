import Foundation
import LiveHub
import WebSocket
import Webinar

/// Permissions that follow state while the socket stays open: a cancelled ticket stops commenting
/// and liking at once, a promoted person starts, and viewers of an event that turned private are
/// closed. Changes arrive through the hub (``MemberChange``), in order with the room's frames, from
/// this node or, through the bus, from any other.
extension LiveSession {
    /// What a member's access becomes after a change.
    enum Access: Equatable {
        case unchanged
        /// A new role: `status` is the registration's, told to the client in the `role` message.
        case become(Role, viewerReason: String, status: RegistrationStatus)
        /// No access left: close with 1008 and this reason.
        case close(reason: String)
    }

    static let ticketRequiredReason = "ticket_required: this event is now for ticket holders only"
    static let ticketCancelledReason = "ticket_cancelled: your ticket was cancelled and this event is for ticket holders only"

    /// The access a member with a registration in `status` has now.
    static func access(of member: Member, status: RegistrationStatus) -> Access {
        guard member.role != .host else { return .unchanged }
        switch status {
        case .ticketed:
            return member.role == .attendee ? .unchanged : .become(.attendee, viewerReason: "", status: status)
        case .waitlisted, .offered, .cancelled:
            // An offered seat is not a ticket until it is claimed.
            let reason = status == .cancelled ? "read_only" : "not_ticketed"
            guard member.policy.publicViewing else {
                return .close(reason: status == .cancelled ? Self.ticketCancelledReason : Self.ticketRequiredReason)
            }
            return member.role == .viewer && member.viewerReason == reason
                ? .unchanged : .become(.viewer, viewerReason: reason, status: status)
        }
    }

    /// A viewer of an event without public viewing has no access left.
    static func accessAfterRulesChanged(of member: Member) -> Access {
        member.role == .viewer && !member.policy.publicViewing ? .close(reason: Self.ticketRequiredReason) : .unchanged
    }

    // MARK: LiveMember

    func apply(_ change: MemberChange) {
        guard let member = self.member else { return }
        let access: Access
        switch change {
        case .accessRulesChanged:
            access = Self.accessAfterRulesChanged(of: member)
        case .registrationChanged(let authorId, let status):
            guard !member.authorId.isEmpty, authorId == member.authorId else { return }
            access = Self.access(of: member, status: status)
        }
        self.enact(access, announce: true)
    }

    /// Makes `access` so: a new role or a close. A new role is announced with a `role` message once
    /// the client was welcomed; before, the welcome says it. Returns false when the session was closed.
    @discardableResult
    func enact(_ access: Access, announce: Bool) -> Bool {
        switch access {
        case .unchanged:
            return true
        case .close(let reason):
            self.session?.close(code: .policyViolation, reason: reason)
            return false
        case .become(let role, let viewerReason, let status):
            guard let member = self.member else { return true }
            let changed = Member(
                event: member.event, role: role, viewerReason: viewerReason, authorId: member.authorId,
                author: member.author, moderator: member.moderator, policy: member.policy)
            switch self.phase {
            case .resuming: self.phase = .resuming(changed)
            case .live: self.phase = .live(changed)
            default: return true
            }
            if announce && self.welcomed {
                self.session?.send(text: LiveMessages.role(role: role.rawValue, reason: status.rawValue))
            }
            return true
        }
    }
}
