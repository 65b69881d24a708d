import Foundation
import LiveHub
import Testing
import Webinar

@testable import BackchannelServer

/// The rules of issue 14, item 7 as values: what a live member's access becomes when its
/// registration or the event changes, and how the change crosses nodes.
@Suite struct LiveAccessTests {
    static let event = Event(id: 1, slug: "e", title: "E", startsAt: Date(timeIntervalSince1970: 0), capacity: 5, createdAt: Date())

    static func member(_ role: LiveSession.Role, reason: String = "", publicViewing: Bool = true) -> LiveSession.Member {
        var event = Self.event
        event.publicViewing = publicViewing
        return LiveSession.Member(
            event: event, role: role, viewerReason: reason, authorId: "a1", author: "Ann", moderator: .host,
            policy: RoomPolicy(event: event))
    }

    @Test func registrationChanges() {
        typealias S = LiveSession
        #expect(S.access(of: Self.member(.attendee), status: .ticketed) == .unchanged)
        #expect(S.access(of: Self.member(.attendee), status: .cancelled) == .become(.viewer, viewerReason: "read_only", status: .cancelled))
        #expect(
            S.access(of: Self.member(.viewer, reason: "not_ticketed"), status: .ticketed)
                == .become(.attendee, viewerReason: "", status: .ticketed))
        #expect(S.access(of: Self.member(.viewer, reason: "not_ticketed"), status: .waitlisted) == .unchanged)
        #expect(
            S.access(of: Self.member(.attendee, publicViewing: false), status: .cancelled)
                == .close(reason: S.ticketCancelledReason))
        #expect(
            S.access(of: Self.member(.attendee, publicViewing: false), status: .waitlisted)
                == .close(reason: S.ticketRequiredReason))
        #expect(S.access(of: Self.member(.host), status: .cancelled) == .unchanged, "a host key is not a registration")
        #expect(S.ticketCancelledReason.utf8.count <= 123 && S.ticketRequiredReason.utf8.count <= 123, "fits a close frame")
    }

    @Test func eventChanges() {
        #expect(
            LiveSession.accessAfterRulesChanged(of: Self.member(.viewer, reason: "read_only", publicViewing: false))
                == .close(reason: LiveSession.ticketRequiredReason))
        #expect(LiveSession.accessAfterRulesChanged(of: Self.member(.viewer, reason: "read_only")) == .unchanged)
        #expect(LiveSession.accessAfterRulesChanged(of: Self.member(.attendee, publicViewing: false)) == .unchanged)
    }

    @Test func registrationChangesCrossNodesOnTheBus() {
        let message = RoomMessage.registrationChanged(authorId: "a1", status: .cancelled)
        let payload = BusMessage(origin: "n", eventId: 7, message: message).encoded()
        #expect(BusMessage.decode(payload)?.roomMessage == message)
        #expect(message.memberChange == .registrationChanged(authorId: "a1", status: .cancelled))
        #expect(RoomMessage.eventChanged(slug: "e").memberChange == .accessRulesChanged)
        #expect(RoomMessage.hidden(commentId: 1).memberChange == nil)
    }
}
