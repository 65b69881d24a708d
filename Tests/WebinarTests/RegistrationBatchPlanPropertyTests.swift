import Foundation
import PropertyBased
import Testing
import Webinar

/// The waitlist rules of ``RegistrationBatchPlan`` (the one place every store decides registrations)
/// under random batches: whatever the order, the seats never exceed capacity, the waiting list is
/// places 1…N with no gap or repeat, an email holds one registration per event, and only the request
/// that created a registration learns its code. Between batches the test keeps what a store would
/// have stored, as the stores do.
@Suite struct RegistrationBatchPlanPropertyTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// What a store holds between batches.
    struct Stored {
        var events: [Int64: RegistrationBatchPlan.EventRow]
        var registrations: [String: Registration] = [:]

        func key(_ eventId: Int64, _ email: String) -> String { "\(eventId)|\(email)" }
    }

    /// Each request is a number: event (0, 1, or 2 = closed) × 20 emails.
    static func run(capacity: Int, batches: [[Int]]) throws {
        var stored = Stored(
            events: Dictionary(
                uniqueKeysWithValues: (1...3).map { id in
                    (
                        Int64(id),
                        RegistrationBatchPlan.EventRow(
                            event: Event(
                                id: Int64(id), slug: "e\(id)", title: "E\(id)", startsAt: Self.now + 86_400, capacity: capacity,
                                registrationOpen: id != 3, createdAt: Self.now),
                            lastQueue: 0)
                    )
                }))
        for batch in batches {
            var plan = RegistrationBatchPlan(events: Array(stored.events.values))
            let requests = batch.map { (eventId: Int64($0 / 20 + 1), email: "p\($0 % 20)@example.com") }
            for request in requests {
                let new = try NewRegistration(name: "Person", email: request.email)
                plan.decide(
                    .init(
                        new: new, eventId: request.eventId, emailKey: new.email,
                        stored: stored.registrations[stored.key(request.eventId, new.email)]),
                    now: Self.now)
            }
            let ids = (0..<plan.inserts.count).map { Int64(stored.registrations.count + $0 + 1) }
            let results = try plan.results(insertedIds: ids)
            #expect(results.count == requests.count)
            var seen = Set<String>()
            for (request, result) in zip(requests, results) {
                let key = stored.key(request.eventId, request.email)
                switch result {
                case .failure(let error):
                    #expect(request.eventId == 3 && error == .registrationClosed, "only the closed event refuses")
                    #expect(stored.registrations[key] == nil)
                case .success(let (registration, created)):
                    let first = stored.registrations[key] == nil && !seen.contains(key)
                    #expect(created == first, "created exactly once per email and event")
                    #expect((registration.code != nil) == created, "the code only for whoever created it")
                    seen.insert(key)
                    if created {
                        var kept = registration
                        kept.code = nil
                        stored.registrations[key] = kept
                    } else {
                        #expect(registration.id == stored.registrations[key]?.id)
                    }
                }
            }
            for id in plan.changedEvents { stored.events[id] = plan.events[id] }
            try Self.checkInvariants(stored)
        }
    }

    static func checkInvariants(_ stored: Stored) throws {
        for (id, row) in stored.events {
            let mine = stored.registrations.values.filter { $0.eventId == id }
            let ticketed = mine.filter { $0.status == .ticketed }.count
            let waiting = mine.filter { $0.status == .waitlisted }.compactMap(\.position).sorted()
            #expect(ticketed <= row.event.capacity, "capacity exceeded")
            #expect(ticketed == row.event.ticketsIssued)
            #expect(waiting == (0..<waiting.count).map { $0 + 1 }, "places 1…N")
            #expect(waiting.count == row.event.waitlistLength)
            #expect(waiting.isEmpty || ticketed == row.event.capacity, "nobody waits while a seat is free")
        }
    }

    @Test func randomBatchesKeepTheWaitlistRules() async {
        await propertyCheck(
            count: 200, input: Gen.int(in: 1...8), Gen.int(in: 0...59).array(of: 1...25).array(of: 1...6)
        ) { capacity, batches in
            #expect(throws: Never.self) { try Self.run(capacity: capacity, batches: batches) }
        }
    }
}
