import Foundation
import ServerTesting
import Synchronization
import Testing

/// Pipelined requests whose answers are never read (issue 14, item 2). A client sends 3,000
/// requests for pages (~135 KB of requests asking for ~51 MB of answers) and reads nothing.
/// Before the fix the server parsed them all and queued every answer: its memory grew by the
/// whole 51 MB (and held it until the client left). Now parsing stops while the connection's
/// unsent output is above the backlog bound (`websocket.max.backlog.bytes`, 4 MiB by default,
/// the same bound as WebSockets) and resumes as it drains; once the client reads, every answer
/// arrives, in order.
///
/// The server is the real binary in a child process, so its resident memory (VmRSS) is its own.
@Suite struct PipelineBackpressureTests {
    static let requests = 3000
    /// Page, status and body length of each request, cycled.
    static let pages: [(path: String, status: Int)] = [
        ("/js/room.js", 200), ("/css/app.css", 200), ("/js/host.js", 200), ("/no-such-page.txt", 404),
    ]
    static let rssGrowthBoundKiB = 24 << 10

    @Test func unreadPipelinedAnswersStayBoundedAndAllArriveInOrderOnceRead() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-pipe-\(UUID().uuidString)/data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let server = try ServerProcess(dataDirectory: data)
        defer { server.stop() }
        let port = server.port

        // Each page once on its own connection: its expected length, and a warm server.
        var expected: [(status: Int, length: Int)] = []
        for page in Self.pages {
            let response = try Fixture.request(port, "GET", page.path)
            #expect(response.status == page.status)
            expected.append((response.status, response.body.count))
        }
        let answerBytes = (0..<Self.requests).reduce(0) { $0 + expected[$1 % expected.count].length }
        let rssBefore = server.residentKiB

        let socket = try TestSocket(port: port, timeoutSeconds: 10)
        let requests = (0..<Self.requests).map { "GET \(Self.pages[$0 % Self.pages.count].path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" }
        let payload = Array(requests.joined().utf8)
        // The server stops reading once it holds enough, so sending blocks: send from a thread.
        let sent = DispatchSemaphore(value: 0)
        Thread {
            socket.send(payload)
            sent.signal()
        }.start()

        var peak = rssBefore
        for _ in 0..<30 {  // 3 s without reading a byte
            usleep(100_000)
            peak = max(peak, server.residentKiB)
        }
        let growth = peak - rssBefore
        #expect(
            growth < Self.rssGrowthBoundKiB,
            "unread answers grew the server by \(growth) KiB (\(payload.count) bytes of requests, \(answerBytes) of answers)")

        // Now the client reads: every answer, in request order.
        var mismatches: [String] = []
        for index in 0..<Self.requests {
            let response = try socket.readResponse()
            let want = expected[index % expected.count]
            if response.status != want.status || response.body.count != want.length {
                mismatches.append("#\(index): \(response.status) \(response.body.count) bytes, expected \(want.status) \(want.length)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) answers out of order or wrong, e.g. \(mismatches.prefix(3))")
        #expect(sent.wait(timeout: .now() + 5) == .success, "every request was sent once answers were read")
        print("pipeline: \(payload.count) bytes of requests, \(answerBytes) bytes of answers; RSS +\(growth) KiB while unread")
    }

    /// A client that never reads at all is dropped: after the idle timeout the server stops waiting
    /// for it to read its answers and closes after flushing, and a closing connection whose peer
    /// takes nothing for 10 s is closed (before the fix the close came from the deadline callback,
    /// which had just cleared the deadline, so the connection and its queued answers stayed until
    /// the client left).
    @Test func aClientThatNeverReadsIsDroppedAfterTheIdleAndClosingDeadlines() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-pipe-\(UUID().uuidString)/data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let server = try ServerProcess(dataDirectory: data, environment: ["BACKCHANNEL_HTTP_IDLE_TIMEOUT_SECONDS": "2"])
        defer { server.stop() }
        let port = server.port
        func openConnections() -> Int? {
            let metrics = try? Fixture.request(port, "GET", "/metrics").text
            let line = metrics?.split(separator: "\n").first { $0.hasPrefix("backchannel_connections_open ") }
            return line.flatMap { Double($0.split(separator: " ").last ?? "").map { Int($0) } }
        }

        let socket = try TestSocket(port: port)
        let payload = Array(String(repeating: "GET /js/room.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", count: 1000).utf8)
        Thread { socket.send(payload) }.start()
        let start = Date()
        var before: Int?
        // The reader's connection may reach its loop just after /metrics is answered on the other loop.
        while before != 2, Date().timeIntervalSince(start) < 10 { before = openConnections() }
        #expect(before == 2, "the reader that never reads, and the /metrics request")
        var droppedAfter: Double?
        while droppedAfter == nil, Date().timeIntervalSince(start) < 25 {
            usleep(500_000)
            if openConnections() == 1 { droppedAfter = Date().timeIntervalSince(start) }
        }
        let seconds = try #require(droppedAfter, "a client that never reads was still connected after 25 s")
        #expect(seconds >= 2 && seconds <= 2 + 10 + 3, "dropped after \(seconds) s (idle 2 s, then 10 s without progress)")
        withExtendedLifetime(socket) {}
    }
}
