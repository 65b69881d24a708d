import Foundation
import ServerTesting
import Synchronization
import Testing
import WebSocket

/// A like flood (issue 14, item 3): one ticket holder sends 3,000 like frames at once while another
/// attendee comments. Before the fix every like was its own write transaction on the one writer,
/// queued without bound ahead of everyone's comments, and `already_liked` answers counted toward
/// no limit: the other attendee's ack went from ~1 ms to most of a second. Now every message spends
/// its sender's budget (`live.rate.limit.messages`, 60 per 10 s by default), so the flooder gets
/// `rate_limited` and only a budget's worth of likes reaches the writer, which counts them in one
/// transaction per batch; the other attendee's acks stay about as fast as before the flood.
@Suite struct LiveFloodTests {
    static let likeFrames = 3000
    static let targets = 5
    static let samples = 15

    @Test func aLikeFloodDoesNotSlowAnotherAttendeesComments() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-flood-\(UUID().uuidString)/data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let server = try ServerProcess(
            dataDirectory: data,
            environment: [
                "BACKCHANNEL_ADMIN_TOKEN": Fixture.adminToken, "BACKCHANNEL_LIVE_RATE_LIMIT_COMMENTS": "1000",
            ])
        defer { server.stop() }
        let port = server.port
        _ = try Fixture.event(port, slug: "flood", capacity: 2)
        let commenter = try LiveClient(port: port, slug: "flood")
        #expect(commenter.join(ticket: try Fixture.register(port, slug: "flood", name: "Commenter").code)?["role"] as? String == "attendee")
        let flooder = try LiveClient(port: port, slug: "flood")
        #expect(flooder.join(ticket: try Fixture.register(port, slug: "flood", name: "Flooder").code)?["role"] as? String == "attendee")

        /// Seconds from sending a comment to its ack.
        func comment(_ text: String) -> (id: Int64, seconds: Double) {
            let start = Date()
            commenter.send(["type": "comment", "text": text, "nonce": text])
            while let message = commenter.next() {
                if message["type"] as? String == "ack", message["nonce"] as? String == text {
                    return ((message["id"] as? NSNumber)?.int64Value ?? -1, Date().timeIntervalSince(start))
                }
                if message["type"] as? String == "error" { break }
            }
            return (-1, .infinity)
        }
        let targets = (0..<Self.targets).map { comment("like me \($0)").id }
        let baseline = (0..<Self.samples).map { comment("baseline \($0)").seconds }.sorted()

        // The flood: 3,000 like frames in one write; the flooder reads its answers on a thread.
        let answers = Mutex<[String: Int]>([:])
        let done = DispatchSemaphore(value: 0)
        Thread {
            while let message = flooder.next() {
                let key = message["type"] as? String == "error" ? "error:\(message["code"] as? String ?? "?")" : "\(message["type"] ?? "?")"
                answers.withLock { $0[key, default: 0] += 1 }
            }
            done.signal()  // quiet for the socket's receive timeout: the server has answered everything
        }.start()
        var frames: [UInt8] = []
        for index in 0..<Self.likeFrames {
            let json = #"{"type":"like","commentId":\#(targets[index % targets.count])}"#
            frames += WebSocketFrameEncoder.maskedFrame(.text, payload: Array(json.utf8), fin: true, rsv1: false, maskKey: (1, 2, 3, 4))
        }
        flooder.ws.socket.send(frames)
        let during = (0..<Self.samples).map { comment("during \($0)").seconds }.sorted()

        let baselineMedian = baseline[baseline.count / 2]
        let bound = max(baselineMedian * 20, 0.25)
        let summary = String(
            format: "ack p50/max %.1f/%.1f ms before the flood, %.1f/%.1f ms during it",
            baselineMedian * 1000, baseline.last! * 1000, during[during.count / 2] * 1000, during.last! * 1000)
        print("like flood: \(summary)")
        #expect(during.last! <= bound, "\(summary): the flood slowed another attendee's comments")

        #expect(done.wait(timeout: .now() + 30) == .success)
        let seen = answers.withLock { $0 }
        #expect((seen["error:rate_limited"] ?? 0) >= Self.likeFrames / 2, "the flooder was rate limited: \(seen)")
        // Only the first like of each comment counted; every other was already_liked or refused.
        let archive = try Fixture.request(port, "GET", "/api/events/flood/comments?limit=500").json()
        let likes = (archive["comments"] as? [[String: Any]] ?? []).filter { targets.contains(($0["id"] as? NSNumber)?.int64Value ?? -1) }
            .map { ($0["likes"] as? NSNumber)?.intValue ?? -1 }
        #expect(likes == Array(repeating: 1, count: Self.targets), "each target liked once: \(likes)")
    }

    /// Pings spend the same budget: of 100 pings sent at once by a joined attendee, about the
    /// budget's worth (60) get a pong, and the attendee stays connected and can still comment.
    @Test func pingsSpendTheMessageBudget() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-pings-\(UUID().uuidString)/data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let server = try ServerProcess(dataDirectory: data, environment: ["BACKCHANNEL_ADMIN_TOKEN": Fixture.adminToken])
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "pings", capacity: 1)
        let client = try LiveClient(port: server.port, slug: "pings")
        #expect(
            client.join(ticket: try Fixture.register(server.port, slug: "pings", name: "Pinger").code)?["role"] as? String == "attendee")
        var frames: [UInt8] = []
        for index in 0..<100 {
            frames += WebSocketFrameEncoder.maskedFrame(.ping, payload: Array("p\(index)".utf8), maskKey: (9, 8, 7, 6))
        }
        client.ws.socket.send(frames)
        var pongs = 0
        while let event = client.ws.receive() {  // until the socket is quiet for its 5 s timeout
            if case .pong = event { pongs += 1 }
        }
        #expect(pongs >= 55 && pongs <= 70, "\(pongs) of 100 pings answered; the budget is 60 per 10 s")
        client.send(["type": "comment", "text": "still here", "nonce": "after"])
        #expect(client.next(type: "ack")?["nonce"] as? String == "after", "the pinger stays connected")
    }
}
