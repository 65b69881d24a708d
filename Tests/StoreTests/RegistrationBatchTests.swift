import Foundation
import Store
import Testing
import Webinar

/// `registerBatch`: one transaction, each request with `register`'s semantics, failures kept to their request.
@Suite("Store: registration batches (group commit)")
struct RegistrationBatchTests {
    static func request(_ index: Int, slug: String = "launch", email: String? = nil) -> RegistrationRequest {
        RegistrationRequest(slug: slug, name: "Person \(index)", email: email ?? "p\(index)@example.com")
    }

    @Test(arguments: StoreKind.available)
    func batchSpanningTheLastSeatsAndTheWaitlist(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 3), hostKeyHash: "h", now: Fixture.now)
            let before = try Fixture.register(store, count: 2)
            let results = try store.registerBatch((2..<7).map { Self.request($0) }, now: Fixture.now)
            let outcomes = try results.map { try $0.get() }
            #expect(outcomes.allSatisfy { $0.created })
            let batch = outcomes.map(\.registration)
            #expect(batch.map(\.status) == [.ticketed, .waitlisted, .waitlisted, .waitlisted, .waitlisted])
            #expect(batch.map(\.position) == [nil, 1, 2, 3, 4])
            #expect(batch.map(\.name) == (2..<7).map { "Person \($0)" })
            #expect(Set((before + batch).map(\.code)).count == 7)
            let event = try #require(try store.event(slug: "launch"))
            #expect(event.ticketsIssued == 3)
            #expect(event.waitlistLength == 4)
            #expect(try store.registrations(slug: "launch") == (before + batch).map(\.asStored))
            for registration in batch {
                #expect(try store.registration(code: registration.issuedCode) == registration.asStored)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func failingItemsInTheMiddleFailAlone(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 2), hostKeyHash: "h", now: Fixture.now)
            _ = try store.createEvent(Fixture.newEvent(slug: "closed"), hostKeyHash: "h", now: Fixture.now)
            _ = try store.updateEvent(slug: "closed", patch: EventPatch(registrationOpen: false), now: Fixture.now)
            let requests = [
                Self.request(0),
                Self.request(1, email: "not-an-email"),
                Self.request(2, slug: "nope"),
                Self.request(3, slug: "closed"),
                RegistrationRequest(slug: "launch", name: " ", email: "blank@example.com"),
                Self.request(5),
                Self.request(6),
            ]
            let results = try store.registerBatch(requests, now: Fixture.now)
            #expect(results.count == requests.count)
            #expect(try results[0].get().registration.status == .ticketed)
            #expect(Self.failure(results[1])?.kind == .invalid)
            #expect(Self.failure(results[2]) == .eventNotFound)
            #expect(Self.failure(results[3]) == .registrationClosed)
            #expect(Self.failure(results[4])?.kind == .invalid)
            #expect(try results[5].get().registration.status == .ticketed)
            let last = try results[6].get().registration
            #expect(last.status == .waitlisted)
            #expect(last.position == 1)
            let event = try #require(try store.event(slug: "launch"))
            #expect(event.ticketsIssued == 2)
            #expect(event.waitlistLength == 1)
            #expect(try store.registrations(slug: "launch").map(\.email) == ["p0@example.com", "p5@example.com", "p6@example.com"])
            #expect(try store.registrations(slug: "closed").isEmpty)
            #expect(try store.event(slug: "closed")?.ticketsIssued == 0)
        }
    }

    @Test(arguments: StoreKind.available)
    func sameEmailTwiceInOneBatchIsOneRegistration(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let results = try store.registerBatch(
                [
                    RegistrationRequest(slug: "launch", name: "Ada", email: "ada@example.com"),
                    RegistrationRequest(slug: "launch", name: "Other", email: " ADA@Example.com "),
                    RegistrationRequest(slug: "launch", name: "Bob", email: "bob@example.com"),
                ], now: Fixture.now)
            let first = try results[0].get()
            let second = try results[1].get()
            #expect(first.created)
            #expect(!second.created)
            #expect(second.registration == first.registration.asStored)
            #expect(second.registration.name == "Ada")
            let bob = try results[2].get().registration
            #expect(bob.status == .waitlisted)
            #expect(bob.position == 1)
            #expect(try store.registrations(slug: "launch").count == 2)
            let event = try #require(try store.event(slug: "launch"))
            #expect(event.ticketsIssued == 1)
            #expect(event.waitlistLength == 1)
        }
    }

    @Test(arguments: StoreKind.available)
    func cancelledThenTwiceInOneBatchComesBackOnce(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let all = try Fixture.register(store, count: 2)
            _ = try store.cancel(code: all[0].issuedCode, now: Fixture.now)
            let results = try store.registerBatch([Self.request(0), Self.request(0)], now: Fixture.now)
            let back = try results[0].get()
            #expect(back.created)
            #expect(back.registration.code != nil && back.registration.code != all[0].code)
            #expect(back.registration.status == .waitlisted)
            #expect(back.registration.position == 1)
            #expect(try results[1].get().created == false)
            #expect(try results[1].get().registration == back.registration.asStored)
            #expect(try store.event(slug: "launch")?.waitlistLength == 1)
        }
    }

    @Test(arguments: StoreKind.available)
    func emptyBatch(kind: StoreKind) throws {
        try kind.with { (store) throws in
            #expect(try store.registerBatch([], now: Fixture.now).isEmpty)
        }
    }

    static func failure(_ result: Result<RegistrationOutcome, WebinarError>) -> WebinarError? {
        if case .failure(let error) = result { error } else { nil }
    }
}
