import Foundation
import ServerTesting
import Testing

/// A request's time limit is a total from its first byte, however slowly the bytes come
/// (issue 14, item 1): a client trickling a header line (or a body byte, or an empty line between
/// requests) every half second is still cut at the configured timeout, instead of having its clock
/// restarted by every read and staying forever. (Bytes that arrive in step with the loop's
/// half-second deadline sweep must not push a passed deadline on either: that is why the trickle
/// interval is exactly the sweep interval.)
@Suite struct SlowRequestTests {
    static let timeoutSeconds = 2
    static let trickleMilliseconds: UInt32 = 500
    /// The deadline sweep runs twice a second, and the test notices within one trickle interval.
    static let slackSeconds = 1.5

    private func server() throws -> (ServerProcess, URL) {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-slow-req-\(UUID().uuidString)/data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let server = try ServerProcess(
            dataDirectory: data,
            environment: [
                "BACKCHANNEL_HTTP_REQUEST_TIMEOUT_SECONDS": String(Self.timeoutSeconds),
                "BACKCHANNEL_HTTP_IDLE_TIMEOUT_SECONDS": String(Self.timeoutSeconds),
            ])
        return (server, data.deletingLastPathComponent())
    }

    /// Sends `first`, then `next(i)` every trickle interval for 8 s or until the server answers or
    /// closes; returns the seconds from `first` until then (nil: still open after 8 s).
    private func trickle(_ socket: TestSocket, first: String, next: (Int) -> String) -> Double? {
        let start = Date()
        socket.send(first)
        for i in 0..<16 {
            usleep(Self.trickleMilliseconds * 1000)
            let open = socket.readAvailable()
            if !open || !socket.buffer.isEmpty { return Date().timeIntervalSince(start) }
            socket.send(next(i))
        }
        return nil
    }

    @Test func aHeaderTrickleIsCutAtTheTotalRequestTimeout() throws {
        let (server, directory) = try self.server()
        defer {
            server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        let socket = try TestSocket(port: server.port)
        let cut = self.trickle(socket, first: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n") { "X-Trickle-\($0): \($0)\r\n" }
        let seconds = try #require(cut, "a header line every 0.5 s kept the request open for 8 s (timeout \(Self.timeoutSeconds) s)")
        #expect(
            seconds >= Double(Self.timeoutSeconds) - 0.6 && seconds <= Double(Self.timeoutSeconds) + Self.slackSeconds,
            "cut after \(seconds) s")
        _ = socket.waitForClose()
        #expect(String(decoding: socket.buffer, as: UTF8.self).hasPrefix("HTTP/1.1 408"), "answered 408 Request Timeout")
    }

    @Test func aBodyTrickleIsCutAtTheSameTotal() throws {
        let (server, directory) = try self.server()
        defer {
            server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        let socket = try TestSocket(port: server.port)
        let head =
            "POST /api/events/x/registrations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 200\r\n\r\n"
        let cut = self.trickle(socket, first: head + "{") { _ in " " }
        let seconds = try #require(cut, "a body byte every 0.5 s kept the request open for 8 s")
        #expect(seconds <= Double(Self.timeoutSeconds) + Self.slackSeconds, "cut after \(seconds) s")
        _ = socket.waitForClose()
        #expect(String(decoding: socket.buffer, as: UTF8.self).hasPrefix("HTTP/1.1 408"))
    }

    @Test func emptyLinesBetweenRequestsDoNotKeepAnIdleConnection() throws {
        let (server, directory) = try self.server()
        defer {
            server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        let socket = try TestSocket(port: server.port)
        socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try socket.readResponse().status == 200)
        let cut = self.trickle(socket, first: "\r\n") { _ in "\r\n" }
        let seconds = try #require(cut, "an empty line every 0.5 s kept an idle connection for 8 s (idle timeout \(Self.timeoutSeconds) s)")
        #expect(seconds <= Double(Self.timeoutSeconds) + Self.slackSeconds, "closed after \(seconds) s")
        #expect(socket.buffer.isEmpty, "an idle connection is closed without an answer")
    }
}
