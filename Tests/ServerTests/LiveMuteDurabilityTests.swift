import Foundation
import ServerTesting
import Testing

/// A mute is the host's promise for the time they chose: it must not end early because the server
/// restarted in between.
@Suite struct LiveMuteDurabilityTests {
    static let settings = ["BACKCHANNEL_ADMIN_TOKEN": Fixture.adminToken]

    @Test func aMuteOutlivesARestartAndAnEndedOneDoesNot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-mute-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let first = try ServerProcess(dataDirectory: data, environment: Self.settings)
        defer { first.stop() }
        let hostKey = try Fixture.event(first.port, slug: "mutes", capacity: 5)
        let ada = try Fixture.register(first.port, slug: "mutes", name: "Ada")
        let bob = try Fixture.register(first.port, slug: "mutes", name: "Bob")
        let host = try LiveClient(port: first.port, slug: "mutes")
        host.join(hostKey: hostKey)
        var authorIds: [String] = []
        for code in [ada.code, bob.code] {
            let attendee = try LiveClient(port: first.port, slug: "mutes")
            attendee.join(ticket: code)
            attendee.send(["type": "comment", "text": "hello", "nonce": "h"])
            authorIds.append(try #require(host.next(type: "comment")?["authorId"] as? String))
        }
        host.send(["type": "mute", "authorId": authorIds[0], "seconds": 600])
        host.send(["type": "mute", "authorId": authorIds[1], "seconds": 1])
        let bobMutedAt = Date()
        _ = try Fixture.moderationLog(first.port, slug: "mutes", hostKey: hostKey, until: "mute", count: 2)
        first.stop()

        let second = try ServerProcess(dataDirectory: data, environment: Self.settings)
        defer { second.stop() }
        let adaAgain = try LiveClient(port: second.port, slug: "mutes")
        #expect(adaAgain.join(ticket: ada.code)?["role"] as? String == "attendee")
        adaAgain.send(["type": "comment", "text": "still muted?", "nonce": "a"])
        let refused = adaAgain.next(type: "error")
        #expect(refused?["code"] as? String == "muted", "Ada's ten minutes survive the restart")
        let retryAfter = (refused?["retryAfter"] as? NSNumber)?.intValue ?? 0
        #expect((540...600).contains(retryAfter), "the mute ends when the host said, not 600 s after the restart: \(retryAfter)")

        Thread.sleep(until: bobMutedAt.addingTimeInterval(1.5))
        let bobAgain = try LiveClient(port: second.port, slug: "mutes")
        bobAgain.join(ticket: bob.code)
        bobAgain.send(["type": "comment", "text": "back", "nonce": "b"])
        #expect(bobAgain.next(type: "ack")?["nonce"] as? String == "b", "Bob's one-second mute is over")
    }
}
