import Foundation
import ServerTesting
import TestSupport
import Testing

/// Issue 4 under load, over real loopback sockets: seats and waitlist places hold under concurrency.
@Suite struct RegistrationEndToEndTests {
    static let clients = 64
    static let people = 1000
    static let seats = 100

    static func email(_ index: Int) -> String { "person\(index)@example.com" }

    @Test func thousandConcurrentRegistrationsFillHundredSeatsThenTheWaitlistInOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        let admin = try APIClient(port: server.port)
        try admin.createEvent(slug: "rush", capacity: Self.seats)

        // 64 keep-alive connections, each registering every 64th person, all at once; each from its
        // own loopback address, as 64 people would be (one address may hold 64 connections at most).
        let answers = Shared<[Registered]>([])
        let failures = Shared<[String]>([])
        let port = server.port
        Concurrently.run(threads: Self.clients) { client in
            do {
                let api = try APIClient(port: port, source: "127.0.1.\(client + 1)")
                for index in stride(from: client, to: Self.people, by: Self.clients) {
                    let email = Self.email(index)
                    let response = try api.register(slug: "rush", name: "Person \(index)", email: email)
                    guard let answer = Registered(email: email, response: response) else {
                        failures.update { $0.append("\(email): \(response.status) \(response.text)") }
                        continue
                    }
                    answers.update { $0.append(answer) }
                }
            } catch {
                failures.update { $0.append("client \(client): \(error)") }
            }
        }
        #expect(failures.value.isEmpty, "\(failures.value.prefix(5))")
        let all = answers.value
        #expect(all.count == Self.people)
        #expect(all.allSatisfy { $0.httpStatus == 201 }, "every first registration is 201 Created")

        let ticketed = all.filter { $0.status == "ticketed" }
        let waitlisted = all.filter { $0.status == "waitlisted" }
        #expect(ticketed.count == Self.seats)
        #expect(ticketed.allSatisfy { $0.position == nil }, "a ticket has no waitlist place")
        #expect(waitlisted.count == Self.people - Self.seats)
        #expect(
            waitlisted.compactMap(\.position).sorted() == Array(1...(Self.people - Self.seats)),
            "waitlist places 1…900, each exactly once")
        #expect(Set(all.compactMap(\.code)).count == Self.people, "1,000 distinct codes")
        #expect(Set(all.map(\.email)).count == Self.people)

        // The event's counters agree.
        let event = try admin.event("rush")
        #expect(event.int("ticketsIssued") == Self.seats)
        #expect(event.int("seatsLeft") == 0)
        #expect(event.int("waitlistLength") == Self.people - Self.seats)

        // The host's list holds exactly these registrations: nothing lost, nothing doubled, same answers.
        let list = try admin.hostList("rush")
        #expect(list.count == Self.people)
        // The list names people by authorId (no store keeps a code).
        let byAuthor = Dictionary(all.map { ($0.authorId ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(Set(list.compactMap { $0.string("authorId") }) == Set(byAuthor.keys))
        #expect(list.allSatisfy { $0["code"] == nil })
        for row in list {
            guard let author = row.string("authorId"), let answer = byAuthor[author] else {
                Issue.record("unknown row in host list: \(row)")
                continue
            }
            #expect(row.string("email") == answer.email)
            #expect(row.string("status") == answer.status)
            #expect(row.int("position") == answer.position, "nobody cancelled, so places did not move")
        }

        // The same email again, other case and spacing: 200, no code (it is mailed), no second seat.
        let again = try admin.register(slug: "rush", name: "Person 42 again", email: "  PERSON42@Example.COM \t")
        #expect(again.status == 200)
        let original = try #require(all.first { $0.email == Self.email(42) })
        let repeated = try #require(Registered(email: Self.email(42), response: again))
        #expect(repeated.code == nil && original.code != nil)
        #expect(repeated.status == original.status)
        #expect(repeated.position == original.position)
        #expect(try admin.hostList("rush").count == Self.people)
    }

    @Test func repeatedEmailsUnderConcurrencyNeverTakeASecondSeat() throws {
        let server = try TestServer()
        defer { server.stop() }
        let admin = try APIClient(port: server.port)
        try admin.createEvent(slug: "twice", capacity: 5)
        let port = server.port

        // 32 connections send the same new email at once, in different spellings.
        let answers = Shared<[Registered]>([])
        Concurrently.run(threads: 32) { client in
            guard let api = try? APIClient(port: port) else { return }
            let spelling = client % 2 == 0 ? "same@example.com" : " Same@EXAMPLE.com "
            if let response = try? api.register(slug: "twice", name: "Same \(client)", email: spelling),
                let answer = Registered(email: spelling, response: response)
            {
                answers.update { $0.append(answer) }
            }
        }
        let all = answers.value
        #expect(all.count == 32)
        #expect(all.filter { $0.httpStatus == 201 }.count == 1, "exactly one registration is created")
        #expect(all.filter { $0.httpStatus == 200 }.count == 31)
        #expect(all.compactMap(\.code).count == 1, "only the one who created it gets the code")
        #expect(all.allSatisfy { $0.status == "ticketed" })
        let event = try admin.event("twice")
        #expect(event.int("ticketsIssued") == 1)
        #expect(event.int("waitlistLength") == 0)
        #expect(try admin.hostList("twice").count == 1)
    }
}
