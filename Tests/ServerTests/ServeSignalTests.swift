import Foundation
import ServerTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve` stops gracefully on SIGTERM and SIGINT however soon after its "listening on" line the
/// signal comes, and SIGHUP on a plain server only logs.
@Suite struct ServeSignalTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalRightAfterTheListeningLineStopsTheServer(signal: Int32) throws {
        let directory = try TestFolder.make("backchannel-signal")
        defer { TestFolder.remove(directory) }
        // Each start is a new chance for the signal to fall in a gap; on main about one in a few did.
        for attempt in 0..<8 {
            let server = try ServerProcess(dataDirectory: directory.appendingPathComponent("data-\(attempt)"))
            #expect(server.signal(signal, exitWithin: 10), "attempt \(attempt): still running 10 s after the signal")
            #expect(server.process.terminationStatus == 0, "attempt \(attempt): \(server.log)")
            #expect(server.log.contains("stopped"), "attempt \(attempt): \(server.log)")
        }
    }

    @Test func hangupOnAPlainServerOnlyLogs() throws {
        let directory = try TestFolder.make("backchannel-signal")
        defer { TestFolder.remove(directory) }
        let server = try ServerProcess(dataDirectory: directory.appendingPathComponent("data"))
        defer { server.stop() }
        kill(server.process.processIdentifier, SIGHUP)
        let deadline = Date().addingTimeInterval(5)
        while !server.log.contains("SIGHUP: no TLS certificate to reload") && Date() < deadline { usleep(20_000) }
        #expect(server.log.contains("SIGHUP: no TLS certificate to reload"))
        #expect(try Fixture.request(server.port, "GET", "/healthz").status == 200, "still serving")
    }
}
