import Foundation
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
        #expect(growth < Self.rssGrowthBoundKiB,
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
}
