import Foundation
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

    struct Acked: Sendable, Hashable {
        let id: Int64
        let text: String
    }

    @Test func everyAckedCommentSurvivesKillDashNine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-live-crash-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let first = try LiveServerProcess(dataDirectory: data)
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
        let second = try LiveServerProcess(dataDirectory: data)
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
        #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acked comments are missing or changed, e.g. \(missing.prefix(3))")

        // And the room keeps working: a new comment gets an id after everything stored.
        let after1 = try LiveClient(port: second.port, slug: "crash")
        #expect(after1.join(ticket: codes[Self.attendees])?["role"] as? String == "attendee")
        after1.send(["type": "comment", "text": "after the crash", "nonce": "after"])
        let ack = after1.next(type: "ack")
        let newId = (ack?["id"] as? NSNumber)?.int64Value ?? -1
        #expect(newId > (order.last ?? 0), "ids keep growing after the restart")
    }
}

/// The real `backchannel` binary serving in a child process, so that it can be killed with SIGKILL.
final class LiveServerProcess: Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let process: Process
    let port: Int

    /// `$BACKCHANNEL_BINARY`; else `backchannel` beside the test bundle; else the newest
    /// `.build*/debug/backchannel` of this package.
    static func binary() throws -> URL {
        let files = FileManager.default
        if let path = ProcessInfo.processInfo.environment["BACKCHANNEL_BINARY"], !path.isEmpty {
            guard files.isExecutableFile(atPath: path) else {
                throw Failure(description: "BACKCHANNEL_BINARY=\(path) is not an executable file")
            }
            return URL(fileURLWithPath: path)
        }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("backchannel")
        if files.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = ((try? files.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { $0.hasPrefix(".build") }
            .map { root.appendingPathComponent($0).appendingPathComponent("debug/backchannel") }
            .filter { files.isExecutableFile(atPath: $0.path) }
        func modified(_ url: URL) -> Date {
            ((try? files.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
        }
        guard let newest = candidates.max(by: { modified($0) < modified($1) }) else {
            throw Failure(description: """
                The backchannel binary was not found beside the tests (\(beside.path)) nor in .build*/debug. \
                Build it first: swift build --scratch-path .build-live --product backchannel, \
                or set BACKCHANNEL_BINARY to its path.
                """)
        }
        return newest
    }

    /// Starts `serve --port 0` on `dataDirectory` (rate limit raised for the storm) and waits for
    /// the "listening on http://" line.
    init(dataDirectory: URL) throws {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = [
            "serve", "--host", "127.0.0.1", "--port", "0", "--threads", "2",
            "--data-dir", dataDirectory.path, "--static-dir", dataDirectory.path, "--log-level", "info",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["BACKCHANNEL_ADMIN_TOKEN"] = Fixture.adminToken
        environment["BACKCHANNEL_LIVE_RATE_LIMIT_COMMENTS"] = "1000000"
        process.environment = environment
        process.currentDirectoryURL = dataDirectory.deletingLastPathComponent()  // no config/backchannel.json here
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let found = Mutex<(log: String, port: Int?)>(("", nil))
        let listening = DispatchSemaphore(value: 0)
        let reader = pipe.fileHandleForReading
        // Drain the pipe for the life of the process, so logging never blocks the server.
        let thread = Thread {
            var signalled = false
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                let port = found.withLock { state -> Int? in
                    state.log += String(decoding: data, as: UTF8.self)
                    if state.port == nil { state.port = Self.listeningPort(in: state.log) }
                    return state.port
                }
                if port != nil, !signalled {
                    signalled = true
                    listening.signal()
                }
            }
            if !signalled { listening.signal() }
        }
        try process.run()
        thread.start()
        self.process = process
        guard listening.wait(timeout: .now() + 30) == .success, let port = found.withLock({ $0.port }) else {
            kill(process.processIdentifier, SIGKILL)
            throw Failure(description: "backchannel did not log \"listening on http://\" within 30 s:\n\(found.withLock { $0.log })")
        }
        self.port = port
    }

    static func listeningPort(in text: String) -> Int? {
        guard let range = text.range(of: "listening on http://") else { return nil }
        let rest = text[range.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let digits = rest[rest.index(after: colon)...].prefix { $0.isNumber }
        guard !digits.isEmpty, digits.endIndex < rest.endIndex else { return nil }  // the whole number is in
        return Int(digits)
    }

    func killHard() {
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    func stop() {
        guard self.process.isRunning else { return }
        kill(self.process.processIdentifier, SIGTERM)
        self.process.waitUntilExit()
    }
}
