import Foundation
import ServerTesting
import Synchronization
import Testing
import WebSocket

/// Pongs obey the backlog bound (issue 14, item 3): a client that sends 200,000 pings and reads
/// nothing gets no more pongs once `websocket.max.backlog.bytes` of them wait, instead of making
/// the server queue every pong (~25 MB here). `/echo` is used because it has no message budget,
/// so only the backlog bound holds the pongs back. The server is the real binary in a child
/// process, so its resident memory is its own.
@Suite struct WebSocketPingFloodTests {
    static let pings = 200_000
    static let backlogBound = 256 << 10
    static let rssGrowthBoundKiB = 12 << 10

    @Test func unreadPongsStayWithinTheBacklogBound() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-pingflood-\(UUID().uuidString)/data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data.deletingLastPathComponent()) }
        let server = try ServerProcess(
            dataDirectory: data,
            environment: [
                "BACKCHANNEL_ECHO": "true", "BACKCHANNEL_WEBSOCKET_MAX_BACKLOG_BYTES": String(Self.backlogBound),
            ])
        defer { server.stop() }
        let ws = try TestWebSocket(port: server.port, path: "/echo")
        ws.send(text: "warm")
        #expect(ws.receiveText() == "warm")
        let rssBefore = server.residentKiB

        let payload = [UInt8](repeating: 0x70, count: 125)
        let frame = WebSocketFrameEncoder.maskedFrame(.ping, payload: payload, maskKey: (1, 2, 3, 4))
        var flood: [UInt8] = []
        flood.reserveCapacity(frame.count * 10_000)
        for _ in 0..<10_000 { flood += frame }
        let sent = DispatchSemaphore(value: 0)
        let socket = ws.socket
        let batch = flood
        Thread {
            for _ in 0..<(Self.pings / 10_000) { socket.send(batch) }
            sent.signal()
        }.start()
        var peak = rssBefore
        while sent.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            peak = max(peak, server.residentKiB)
        }
        usleep(500_000)
        peak = max(peak, server.residentKiB)
        #expect(
            peak - rssBefore < Self.rssGrowthBoundKiB,
            "\(Self.pings) unread pongs (\(Self.pings * 127) bytes) grew the server by \(peak - rssBefore) KiB")
        ws.send(text: "still echoing")
        var echoed = false
        while let event = ws.receive() {
            if case .message(.text(let bytes)) = event, String(decoding: bytes, as: UTF8.self) == "still echoing" {
                echoed = true
                break
            }
        }
        #expect(echoed, "the connection still works once the client reads")
    }
}
