import Foundation
import ServerTesting
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` in the middle of a comment storm: every comment whose `ack` reached its author is in the
/// archive after a restart on the same data, with the same id and text (durable before visible:
/// the ack leaves only after the group commit).
@Suite struct LiveCrashTests {
    static let attendees = 50
    /// Kill once this many acks are in, so the kill lands mid-storm (or at the deadline).
    static let killAfterAcks = 1500
    static let killDeadlineSeconds = 30.0
    /// The fixtures' admin token, and the per-author rate limit raised for the storm.
    static let settings = ["BACKCHANNEL_ADMIN_TOKEN": Fixture.adminToken, "BACKCHANNEL_LIVE_RATE_LIMIT_COMMENTS": "1000000"]

    struct Acked: Sendable, Hashable {
        let id: Int64
        let text: String
    }

    @Test func everyAckedCommentSurvivesKillDashNine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-live-crash-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let first = try ServerProcess(dataDirectory: data, environment: Self.settings)
        var killed = false
        defer { if !killed { first.killHard() } }
        _ = try Fixture.event(first.port, slug: "crash", capacity: Self.attendees + 1)
        let codes = try (0..<(Self.attendees + 1)).map { try Fixture.register(first.port, slug: "crash", name: "Storm\($0)").code }
        let clients = try codes.prefix(Self.attendees).map { code in
            let client = try LiveClient(port: first.port, slug: "crash")
            #expect(client.join(ticket: code)?["role"] as? String == "attendee")
            return client
        }

        // Each attendee keeps a few comments in flight and records an ack only when it arrives.
        let acked = Mutex<[Acked]>([])
        let ackCount = Atomic<Int>(0)
        let sentCount = Atomic<Int>(0)
        let errors = Mutex<[String]>([])
        let storm = DispatchGroup()
        for (index, client) in clients.enumerated() {
            storm.enter()
            let thread = Thread {
                defer { storm.leave() }
                var pending: [String: String] = [:]  // nonce -> text
                var n = 0
                var mine: [Acked] = []
                defer { acked.withLock { $0.append(contentsOf: mine) } }
                while true {
                    while pending.count < 4 {
                        let nonce = "\(index)-\(n)"
                        let text = "storm \(index) #\(n) \(UUID().uuidString)"
                        pending[nonce] = text
                        client.send(["type": "comment", "text": text, "nonce": nonce])
                        sentCount.add(1, ordering: .relaxed)
                        n += 1
                    }
                    guard let message = client.next() else { return }  // the server is gone
                    switch message["type"] as? String {
                    case "ack":
                        guard let nonce = message["nonce"] as? String, let text = pending.removeValue(forKey: nonce),
                            let id = (message["id"] as? NSNumber)?.int64Value
                        else { continue }
                        mine.append(Acked(id: id, text: text))
                        ackCount.add(1, ordering: .relaxed)
                    case "error":
                        errors.withLock { $0.append("\(message)") }
                        if let nonce = message["nonce"] as? String { pending[nonce] = nil }
                    default:
                        continue
                    }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        let deadline = Date().addingTimeInterval(Self.killDeadlineSeconds)
        while ackCount.load(ordering: .relaxed) < Self.killAfterAcks, Date() < deadline { usleep(1000) }
        let sentAtKill = sentCount.load(ordering: .relaxed)
        first.killHard()
        killed = true
        #expect(first.process.terminationReason == .uncaughtSignal, "the server was killed, not stopped")
        #expect(storm.wait(timeout: .now() + 30) == .success, "every client noticed the server was gone")

        let acknowledged = acked.withLock { $0 }
        #expect(errors.withLock { $0 }.isEmpty, "no comment was refused: \(errors.withLock { $0.prefix(3) })")
        #expect(acknowledged.count >= 500, "the storm was under way when the server was killed (\(acknowledged.count) acks)")
        #expect(sentAtKill > acknowledged.count, "comments were in flight at the kill")
        #expect(Set(acknowledged.map(\.id)).count == acknowledged.count, "every ack carries its own id")

        // Restart on the same data: the archive holds every acked comment, same id, same text.
        let second = try ServerProcess(dataDirectory: data, environment: Self.settings)
        defer { second.stop() }
        var archive: [Int64: String] = [:]
        var order: [Int64] = []
        var after: Int64 = 0
        while true {
            let page = try Fixture.request(second.port, "GET", "/api/events/crash/comments?after=\(after)&limit=500")
            #expect(page.status == 200)
            let json = try page.json()
            for comment in json["comments"] as? [[String: Any]] ?? [] {
                guard let id = (comment["id"] as? NSNumber)?.int64Value else { continue }
                archive[id] = comment["text"] as? String
                order.append(id)
            }
            guard let next = (json["next"] as? NSNumber)?.int64Value else { break }
            after = next
        }
        #expect(order == order.sorted() && Set(order).count == order.count, "archive ids grow strictly")
        #expect(archive.count >= acknowledged.count)
        let missing = acknowledged.filter { archive[$0.id] != $0.text }
        #expect(
            missing.isEmpty, "\(missing.count) of \(acknowledged.count) acked comments are missing or changed, e.g. \(missing.prefix(3))")

        // And the room keeps working: a new comment gets an id after everything stored.
        let after1 = try LiveClient(port: second.port, slug: "crash")
        #expect(after1.join(ticket: codes[Self.attendees])?["role"] as? String == "attendee")
        after1.send(["type": "comment", "text": "after the crash", "nonce": "after"])
        let ack = after1.next(type: "ack")
        let newId = (ack?["id"] as? NSNumber)?.int64Value ?? -1
        #expect(newId > (order.last ?? 0), "ids keep growing after the restart")
    }
}
