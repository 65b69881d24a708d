import Foundation
import ServerTesting
import Testing

/// `kill -9` while the server's timer lets offers lapse (issue 13): after a restart no seat is lost
/// or given twice. Twenty events of five seats each have their offers lapse at the same instant (the
/// window is cut at 15 minutes before the start, a few seconds away), one transaction per event; the
/// server is killed as soon as the first event's offers are seen gone, and the restarted server's
/// timer finishes the rest.
@Suite struct OfferExpiryCrashTests {
    static let events = 20
    static let seats = 5

    @Test func killDashNineWhileOffersLapseLosesAndDoublesNoSeat() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-offers-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let first = try ServerProcess(dataDirectory: data)
        var stopped = false
        defer { if !stopped { first.killHard() } }
        let api = try APIClient(port: first.port)
        // Offers made now are held until startsAt - 15 min, 10 seconds away; then the seats go at once.
        let startsAt = ISO8601DateFormatter().string(from: Date() + 15 * 60 + 10)
        for event in 0..<Self.events {
            let created = try api.request(
                "POST", "/api/events",
                json: ["slug": "lapse-\(event)", "title": "Lapse", "startsAt": startsAt, "capacity": Self.seats],
                token: ServerProcess.adminToken)
            #expect(created.status == 201, "\(created.text)")
            var codes: [String] = []
            for person in 0..<(3 * Self.seats) {
                let answer = try api.register(slug: "lapse-\(event)", name: "P\(person)", email: "p\(person)-\(event)@example.com")
                codes.append(try #require(try answer.json().string("code")))
            }
            for code in codes.prefix(Self.seats) { #expect(try api.request("DELETE", "/api/registrations/\(code)").status == 200) }
            #expect(try api.event("lapse-\(event)").int("offersOpen") == Self.seats)
        }

        // Wait for the timer's round to start on the first event, then kill the server under it.
        let deadline = Date() + 30
        while Date() < deadline, (try? api.event("lapse-0").int("offersOpen")) != 0 { usleep(2000) }
        first.killHard()
        stopped = true
        #expect(first.process.terminationReason == .uncaughtSignal)

        let second = try ServerProcess(dataDirectory: data)
        defer { second.stop() }
        let after = try APIClient(port: second.port)
        let settled = Date() + 20
        while Date() < settled, (try? after.event("lapse-\(Self.events - 1)").int("offersOpen")) != 0 { usleep(50_000) }
        for event in 0..<Self.events {
            let slug = "lapse-\(event)"
            let state = try after.event(slug)
            #expect(
                [state.int("ticketsIssued"), state.int("offersOpen"), state.int("waitlistLength")] == [Self.seats, 0, 0],
                "\(slug): every seat given once, no offer left")
            let statuses = try after.hostList(slug).compactMap { $0.string("status") }
            #expect(statuses.filter { $0 == "ticketed" }.count == Self.seats, "\(slug): \(statuses)")
            #expect(statuses.filter { $0 == "cancelled" }.count == 2 * Self.seats, "\(slug): \(statuses)")
            let log =
                try after.request("GET", "/api/events/\(slug)/mail", token: ServerProcess.adminToken)
                .json()["messages"] as? [[String: Any]] ?? []
            let lapsed = log.filter { $0["kind"] as? String == "offer_expired" }.compactMap { $0["email"] as? String }
            #expect(lapsed.count == Self.seats && Set(lapsed).count == Self.seats, "\(slug): each offer lapsed once: \(lapsed)")
            let given = log.filter { $0["kind"] as? String == "promoted" }.compactMap { $0["email"] as? String }
            #expect(given.count == Self.seats && Set(given).count == Self.seats, "\(slug): each seat given once: \(given)")
        }
    }
}
