import Foundation
import LiveHub
import Testing
import Webinar

/// The NOTIFY payload between nodes: every room message survives the trip, and the wire keys are the
/// short ones older nodes send and expect.
@Suite struct BusMessageTests {
    static let everyRoomMessage: [RoomMessage] = [
        .hidden(commentId: 1), .pinned(commentId: 2), .unpinned(commentId: 3), .likes(commentId: 4, likes: 17),
        .approved(heldId: 5, id: 50), .muted(authorId: "a9", seconds: 300), .slowMode(seconds: 30, slug: "launch"),
        .eventChanged(slug: "launch"), .registrationChanged(authorId: "a9", status: .cancelled),
        .questionState(commentId: 6, state: .answering), .questionState(commentId: 6, state: .dismissed),
    ]

    @Test(arguments: Self.everyRoomMessage)
    func aRoomMessageArrivesAsSent(_ message: RoomMessage) throws {
        let payload = BusMessage(origin: "node1", eventId: 7, message: message).encoded()
        let received = try #require(BusMessage.decode(payload))
        #expect(received.origin == "node1" && received.eventId == 7)
        #expect(received.roomMessage == message)
    }

    @Test func theWireKeysAreTheShortOnes() throws {
        let payload = BusMessage(origin: "n", eventId: 7, message: .approved(heldId: 5, id: 50)).encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["o", "k", "e", "c", "n"])
        #expect(object["k"] as? String == "approved" && object["c"] as? Int == 5 && object["n"] as? Int == 50)
        var presence = BusMessage(origin: "n", kind: "presence")
        presence.viewers = ["7": 3]
        let presenceObject = try #require(
            try JSONSerialization.jsonObject(with: Data(presence.encoded().utf8)) as? [String: Any])
        #expect(Set(presenceObject.keys) == ["o", "k", "e", "v"])
    }

    @Test func payloadsAsAnOlderNodeSendsThemAreUnderstood() throws {
        let wakeUp = try #require(BusMessage.decode(#"{"o":"x","k":"comments","e":3,"n":41}"#))
        #expect(wakeUp.kind == "comments" && wakeUp.eventId == 3 && wakeUp.number == 41 && wakeUp.roomMessage == nil)
        let muted = try #require(BusMessage.decode(#"{"o":"x","k":"muted","e":3,"a":"a1","s":60}"#))
        #expect(muted.roomMessage == .muted(authorId: "a1", seconds: 60))
        let registration = try #require(BusMessage.decode(#"{"o":"x","k":"registration","e":3,"a":"a1","g":"ticketed"}"#))
        #expect(registration.roomMessage == .registrationChanged(authorId: "a1", status: .ticketed))
        let presence = try #require(BusMessage.decode(#"{"o":"x","k":"presence","e":0,"v":{"3":12}}"#))
        #expect(presence.viewers == ["3": 12])
    }

    @Test func aMalformedPayloadCarriesNoRoomMessage() {
        #expect(BusMessage.decode("not json") == nil)
        #expect(BusMessage.decode(#"{"k":"hidden","e":1,"c":1}"#) == nil, "no origin")
        #expect(BusMessage.decode(#"{"o":"x","k":"likes","e":1,"c":1}"#)?.roomMessage == nil, "likes without a count")
        #expect(BusMessage.decode(#"{"o":"x","k":"registration","e":1,"a":"a","g":"sideways"}"#)?.roomMessage == nil)
        #expect(BusMessage.decode(#"{"o":"x","k":"teleport","e":1}"#)?.roomMessage == nil)
    }
}
