import BackchannelServer
import Foundation
import Testing

/// A resume whose missed stretch is many times the per-connection backlog bound: it goes out as
/// the socket drains, so a reader that comes back after a long gap (and reads at its own pace)
/// gets every comment, in order, and live traffic after it, instead of a 1008 "too slow".
@Suite struct LiveResumePacingTests {
    static let backlogBound = 64 << 10

    @Test func resumeLargerThanTheBacklogBoundArrivesWhole() throws {
        let server = try TestServer {
            $0.commentRateLimit = 1_000_000
            $0.maxBacklogBytes = Self.backlogBound
        }
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "gap", capacity: 5)
        let poster = try Fixture.register(server.port, slug: "gap", name: "Poster")
        let writer = try LiveClient(port: server.port, slug: "gap")
        writer.join(ticket: poster.code)

        // ~1 KiB comments, ten times the bound in all, posted before the reader comes back.
        let text = String(repeating: "long gap ", count: 110)
        let missed = 640
        var acked = 0
        for n in 0..<missed {
            writer.send(["type": "comment", "text": "\(n) \(text)", "nonce": "m-\(n)"])
            if writer.next(type: "ack") != nil { acked += 1 }  // reads its own echoes on the way
        }
        #expect(acked == missed)

        let back = try LiveClient(port: server.port, slug: "gap")
        #expect(back.join(since: 0)?["type"] as? String == "welcome")
        // Live comments keep arriving while the resume is on its way.
        let live = 20
        let busy = Thread {
            for n in 0..<live {
                writer.send(["type": "comment", "text": "live \(n)", "nonce": "l-\(n)"])
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        busy.start()
        var ids: [Int64] = []
        while ids.count < missed + live, let message = back.next(type: "comment") {
            ids.append((message["id"] as? NSNumber)?.int64Value ?? -1)
            if ids.count % 50 == 0 { Thread.sleep(forTimeInterval: 0.005) }  // a reader slower than loopback
        }
        #expect(ids == Array(1...Int64(missed + live)), "every comment once, in order (\(ids.count) received)")
    }

    /// A host joining while held comments keep arriving gets the review queue from the store and the
    /// new ones live, each held comment exactly once (held frames carry no comment id to order by).
    @Test func hostJoiningDuringReviewGetsEachHeldCommentOnce() throws {
        let server = try TestServer { $0.commentRateLimit = 1_000_000 }
        defer { server.stop() }
        let hostKey = try Fixture.event(server.port, slug: "queue", capacity: 5, moderation: "review")
        let poster = try Fixture.register(server.port, slug: "queue", name: "Poster")
        let writer = try LiveClient(port: server.port, slug: "queue")
        writer.join(ticket: poster.code)
        let total = 300
        let posting = Thread {
            for n in 0..<total {
                writer.send(["type": "comment", "text": "held \(n)", "nonce": "h-\(n)"])
                if n % 10 == 0 { Thread.sleep(forTimeInterval: 0.001) }
            }
        }
        posting.start()
        Thread.sleep(forTimeInterval: 0.02)
        let hosts = try (0..<4).map { _ in try LiveClient(port: server.port, slug: "queue") }
        for host in hosts {
            #expect(host.join(hostKey: hostKey)?["role"] as? String == "host")
        }
        for (index, host) in hosts.enumerated() {
            var ids: [Int64] = []
            while ids.count < total, let message = host.next(type: "held") {
                ids.append(((message["comment"] as? [String: Any])?["id"] as? NSNumber)?.int64Value ?? -1)
            }
            let twice = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            #expect(twice.isEmpty, "host \(index): no held comment twice (twice: \(twice), first ids \(ids.prefix(40)))")
            #expect(ids.sorted() == Array(1...Int64(total)), "host \(index): every held comment (\(ids.count) frames)")
        }
    }
}
