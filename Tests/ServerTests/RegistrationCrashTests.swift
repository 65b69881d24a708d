import Foundation
import ServerTesting
import TestSupport
import Testing

/// `kill -9` while registrations are in flight: every registration answered 201 is still there after a
/// restart, with the same code and status (SQLite WAL, synchronous = NORMAL: commits survive the process).
@Suite struct RegistrationCrashTests {
    static let threads = 8
    static let seats = 50

    @Test func everyAnswered201SurvivesKillDashNine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-crash-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let first = try ServerProcess(dataDirectory: data)
        var stopped = false
        defer { if !stopped { first.killHard() } }
        let setup = try APIClient(port: first.port)
        let created = try setup.request(
            "POST", "/api/events",
            json: ["slug": "crash", "title": "Crash", "startsAt": "2030-01-01T10:00:00Z", "capacity": Self.seats],
            token: ServerProcess.adminToken)
        #expect(created.status == 201, "\(created.text)")

        // Several threads register without pause until the server dies under them.
        let answered = Shared<[Registered]>([])
        let port = first.port
        let killed = DispatchSemaphore(value: 0)
        let killer = Thread {
            // Kill once a good number of answers is in, so the kill lands mid-stream.
            let deadline = Date().addingTimeInterval(20)
            while answered.value.count < 400, Date() < deadline { usleep(1000) }
            first.killHard()
            killed.signal()
        }
        killer.start()
        Concurrently.run(threads: Self.threads) { client in
            guard let api = try? APIClient(port: port, timeoutSeconds: 5) else { return }
            var index = 0
            while true {
                let email = "crash-\(client)-\(index)@example.com"
                index += 1
                guard let response = try? api.register(slug: "crash", name: "Crash \(client) \(index)", email: email) else {
                    return  // the server is gone
                }
                guard response.status == 201, let answer = Registered(email: email, response: response) else { return }
                answered.update { $0.append(answer) }
            }
        }
        killed.wait()
        stopped = true
        #expect(!first.process.isRunning)
        #expect(first.process.terminationReason == .uncaughtSignal, "the server was killed, not stopped")
        let acknowledged = answered.value
        #expect(acknowledged.count >= 400, "registrations were in flight when the server was killed")

        // Restart on the same data: every 201 is there, same code, same status, same place.
        let second = try ServerProcess(dataDirectory: data)
        defer { second.stop() }
        let api = try APIClient(port: second.port)
        let list = try api.hostList("crash", token: ServerProcess.adminToken)
        let rows = Dictionary(list.map { ($0.string("authorId") ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(list.count >= acknowledged.count, "at least every acknowledged registration is stored")
        var missing = 0
        for answer in acknowledged {
            guard let row = rows[answer.authorId ?? "-"] else {
                missing += 1
                continue
            }
            #expect(row.string("email") == answer.email)
            #expect(row.string("status") == answer.status)
            #expect(row.int("position") == answer.position)
        }
        #expect(missing == 0, "\(missing) of \(acknowledged.count) registrations answered 201 were lost")
        // A holder's own view agrees, and the counters match the rows.
        if let sample = acknowledged.last {
            #expect(try api.registration(try #require(sample.code)).string("status") == sample.status)
        }
        let event = try api.event("crash")
        #expect(event.int("ticketsIssued") == list.filter { $0.string("status") == "ticketed" }.count)
        #expect(event.int("waitlistLength") == list.filter { $0.string("status") == "waitlisted" }.count)
        #expect(event.int("ticketsIssued") == Self.seats)

        // And it keeps working after the crash.
        let after = try api.register(slug: "crash", name: "After", email: "after@example.com")
        #expect(after.status == 201)
        #expect(try after.json().int("position") == list.count - Self.seats + 1)
    }
}
