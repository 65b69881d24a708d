import Foundation
import ServerTesting
import Testing

/// Cancellations, capacity changes and closing, as attendees and hosts see them over HTTP.
@Suite struct RegistrationWaitlistTests {
    /// Registers `count` people in order and returns their codes, checking each answer.
    static func register(_ api: APIClient, slug: String, count: Int, from start: Int = 0) throws -> [String] {
        try (start..<(start + count)).map { index in
            let response = try api.register(slug: slug, name: "Person \(index)", email: "p\(index)@example.org")
            #expect(response.status == 201)
            return try #require(try response.json().string("code"))
        }
    }

    static func state(_ api: APIClient, _ code: String) throws -> (status: String?, position: Int?) {
        let json = try api.registration(code)
        return (json.string("status"), json.int("position"))
    }

    @Test func cancellationsPromoteInOrderAndPlacesMoveUp() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "small", capacity: 3, extra: ["claimWindowMinutes": 0])
        let codes = try Self.register(api, slug: "small", count: 7)  // 0,1,2 ticketed; 3,4,5,6 waitlisted 1…4
        for index in 0..<3 { #expect(try Self.state(api, codes[index]) == ("ticketed", nil)) }
        for index in 3..<7 { #expect(try Self.state(api, codes[index]) == ("waitlisted", index - 2)) }

        // A ticket is cancelled: the first in line gets it at once; everyone behind moves up one.
        let cancel = try api.request("DELETE", "/api/registrations/\(codes[1])")
        #expect(cancel.status == 200)
        #expect(try cancel.json().string("status") == "cancelled")
        #expect(try cancel.json().string("code") == codes[1])
        #expect(try Self.state(api, codes[1]).status == "cancelled")
        #expect(try Self.state(api, codes[3]) == ("ticketed", nil))
        #expect(try Self.state(api, codes[4]) == ("waitlisted", 1))
        #expect(try Self.state(api, codes[5]) == ("waitlisted", 2))
        #expect(try Self.state(api, codes[6]) == ("waitlisted", 3))

        // Cancelling twice is harmless: same answer, nobody else promoted.
        let twice = try api.request("DELETE", "/api/registrations/\(codes[1])")
        #expect(twice.status == 200)
        #expect(try twice.json().string("status") == "cancelled")
        #expect(try Self.state(api, codes[4]) == ("waitlisted", 1))
        var event = try api.event("small")
        #expect(event.int("ticketsIssued") == 3)
        #expect(event.int("waitlistLength") == 3)

        // A waitlisted person leaving promotes nobody; those behind move up.
        #expect(try api.request("DELETE", "/api/registrations/\(codes[5])").status == 200)
        #expect(try Self.state(api, codes[4]) == ("waitlisted", 1))
        #expect(try Self.state(api, codes[6]) == ("waitlisted", 2))
        event = try api.event("small")
        #expect(event.int("ticketsIssued") == 3)
        #expect(event.int("waitlistLength") == 2)
        #expect(event.int("seatsLeft") == 0)

        // A ticket cancelled again: the new first in line (person 4) is promoted, then person 6 is first.
        #expect(try api.request("DELETE", "/api/registrations/\(codes[0])").status == 200)
        #expect(try Self.state(api, codes[4]) == ("ticketed", nil))
        #expect(try Self.state(api, codes[6]) == ("waitlisted", 1))

        // The host list agrees with what each holder sees.
        let list = try api.hostList("small")
        let statuses = Dictionary(list.map { ($0.string("authorId") ?? "", $0.string("status") ?? "") }) { first, _ in first }
        let authors = try codes.map { try #require(try api.registration($0).string("authorId")) }
        #expect(
            statuses == [
                authors[0]: "cancelled", authors[1]: "cancelled", authors[2]: "ticketed", authors[3]: "ticketed",
                authors[4]: "ticketed", authors[5]: "cancelled", authors[6]: "waitlisted",
            ])
    }

    @Test func raisingCapacityPromotesInOrderAndLoweringBelowTicketsIsRefused() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let hostKey = try api.createEvent(slug: "grow", capacity: 2, extra: ["claimWindowMinutes": 0])
        let codes = try Self.register(api, slug: "grow", count: 6)  // 0,1 ticketed; 2…5 waitlisted 1…4

        let raised = try api.request("PATCH", "/api/events/grow", json: ["capacity": 4], token: hostKey)
        #expect(raised.status == 200)
        let event = try raised.json()
        #expect(event.int("capacity") == 4)
        #expect(event.int("ticketsIssued") == 4)
        #expect(event.int("seatsLeft") == 0)
        #expect(event.int("waitlistLength") == 2)
        #expect(try Self.state(api, codes[2]) == ("ticketed", nil))
        #expect(try Self.state(api, codes[3]) == ("ticketed", nil))
        #expect(try Self.state(api, codes[4]) == ("waitlisted", 1))
        #expect(try Self.state(api, codes[5]) == ("waitlisted", 2))

        // Raising past the queue tickets everyone and leaves seats free for newcomers.
        let wide = try api.request("PATCH", "/api/events/grow", json: ["capacity": 10], token: APIClient.adminToken)
        #expect(wide.status == 200)
        #expect(try wide.json().int("ticketsIssued") == 6)
        #expect(try wide.json().int("seatsLeft") == 4)
        #expect(try Self.state(api, codes[5]) == ("ticketed", nil))
        let late = try api.register(slug: "grow", name: "Late", email: "late@example.org")
        #expect(late.status == 201)
        #expect(try late.json().string("status") == "ticketed")

        // Lowering below tickets issued (7) is a conflict and changes nothing; down to exactly 7 is fine.
        let lowered = try api.request("PATCH", "/api/events/grow", json: ["capacity": 6], token: hostKey)
        #expect(lowered.status == 409)
        #expect(lowered.errorCode == "capacity_below_tickets")
        #expect(try api.event("grow").int("capacity") == 10)
        let exact = try api.request("PATCH", "/api/events/grow", json: ["capacity": 7], token: hostKey)
        #expect(exact.status == 200)
        #expect(try exact.json().int("seatsLeft") == 0)
        let next = try api.register(slug: "grow", name: "Next", email: "next@example.org")
        #expect(try next.json().string("status") == "waitlisted")
        #expect(try next.json().int("position") == 1)
    }

    @Test func closedRegistrationIsRefusedUntilReopened() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let hostKey = try api.createEvent(slug: "door", capacity: 10)
        let first = try Self.register(api, slug: "door", count: 1)[0]

        let closed = try api.request("PATCH", "/api/events/door", json: ["registrationOpen": false], token: hostKey)
        #expect(closed.status == 200)
        #expect(try closed.json()["registrationOpen"] as? Bool == false)
        #expect(try api.event("door")["registrationOpen"] as? Bool == false)

        let refused = try api.register(slug: "door", name: "Too Late", email: "late@example.org")
        #expect(refused.status == 409)
        #expect(refused.errorCode == "registration_closed")
        #expect(try api.event("door").int("ticketsIssued") == 1, "a refused registration takes no seat")
        #expect(try Self.state(api, first) == ("ticketed", nil), "existing tickets stay valid")

        #expect(try api.request("PATCH", "/api/events/door", json: ["registrationOpen": true], token: hostKey).status == 200)
        let reopened = try api.register(slug: "door", name: "On Time", email: "late@example.org")
        #expect(reopened.status == 201)
        #expect(try reopened.json().string("status") == "ticketed")
    }
}
