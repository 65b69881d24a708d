import Foundation
import Store
import Testing
import Webinar

/// `registerBatch` with requests for several events, closed ones and returning people mixed in one batch:
/// every store must give each request what registering it alone, in order, would give.
@Suite("Store: mixed registration batches")
struct RegistrationBatchMixTests {
    static func request(_ index: Int, slug: String, email: String? = nil) -> RegistrationRequest {
        RegistrationRequest(slug: slug, name: "Person \(index)", email: email ?? "p\(index)@example.com")
    }

    @Test(arguments: StoreKind.available)
    func twoEventsWithAClosedOneInBetween(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            _ = try store.createEvent(Fixture.newEvent(slug: "second", capacity: 2), hostKeyHash: "h", now: Fixture.now)
            _ = try store.createEvent(Fixture.newEvent(slug: "closed"), hostKeyHash: "h", now: Fixture.now)
            let launch0 = try Fixture.register(store, count: 1)[0]
            let closed9 = try Fixture.register(store, slug: "closed", count: 1, from: 9)[0]
            _ = try store.updateEvent(slug: "closed", patch: EventPatch(registrationOpen: false), now: Fixture.now)

            let results = try store.registerBatch(
                [
                    Self.request(1, slug: "launch"), Self.request(0, slug: "second"), Self.request(2, slug: "closed"),
                    Self.request(1, slug: "second"), Self.request(0, slug: "launch"), Self.request(9, slug: "closed"),
                    Self.request(2, slug: "second"), Self.request(3, slug: "launch"), Self.request(0, slug: "closed"),
                ], now: Fixture.now)

            #expect(RegistrationBatchTests.failure(results[2]) == .registrationClosed)
            #expect(RegistrationBatchTests.failure(results[8]) == .registrationClosed)
            #expect(try results[4].get().registration == launch0.asStored)
            #expect(try results[4].get().created == false)
            #expect(try results[5].get().registration == closed9.asStored)
            #expect(try results[5].get().created == false)
            let launch = try [0, 7].map { try results[$0].get() }
            let second = try [1, 3, 6].map { try results[$0].get() }
            #expect((launch + second).allSatisfy { $0.created })
            #expect(launch.map { $0.registration.status } == [.waitlisted, .waitlisted])
            #expect(launch.map { $0.registration.position } == [1, 2])
            #expect(second.map { $0.registration.status } == [.ticketed, .ticketed, .waitlisted])
            #expect(second.map { $0.registration.position } == [nil, nil, 1])
            #expect(second[0].registration.email == "p0@example.com")
            #expect(second[0].registration.code != launch0.code)
            #expect(try store.registrations(slug: "launch") == ([launch0] + launch.map { $0.registration }).map(\.asStored))
            #expect(try store.registrations(slug: "second") == second.map { $0.registration.asStored })
            #expect(try store.registrations(slug: "closed") == [closed9.asStored])
            let counts = try ["launch", "second", "closed"].map { slug in
                let event = try #require(try store.event(slug: slug))
                return [event.ticketsIssued, event.waitlistLength]
            }
            #expect(counts == [[1, 2], [2, 1], [1, 0]])
        }
    }

    @Test(arguments: StoreKind.available)
    func returningPeopleKeepTheirPlaceOrGoToTheEnd(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let before = try Fixture.register(store, count: 4)
            _ = try store.cancel(code: before[1].issuedCode, now: Fixture.now)

            let results = try store.registerBatch(
                [
                    Self.request(3, slug: "launch"),
                    RegistrationRequest(slug: "launch", name: "Back Again", email: " P1@Example.COM "),
                    Self.request(4, slug: "launch"),
                    Self.request(1, slug: "launch"),
                    Self.request(2, slug: "launch"),
                ], now: Fixture.now)
            let outcomes = try results.map { try $0.get() }
            #expect(outcomes.map { $0.created } == [false, true, true, false, false])
            #expect(outcomes[0].registration == before[3].with(position: 2).asStored, "the same email again: no code")
            let back = outcomes[1].registration
            #expect(back.code != nil && back.code != before[1].code, "a reactivated registration gets a new code")
            #expect(back.authorId == before[1].authorId)
            #expect(back.id == before[1].id)
            #expect(back.name == "Back Again")
            #expect(back.email == "p1@example.com")
            #expect(back.status == .waitlisted)
            #expect(back.position == 3)
            #expect(outcomes[2].registration.position == 4)
            #expect(outcomes[3].registration == back.asStored)
            #expect(outcomes[4].registration == before[2].with(position: 1).asStored)
            for outcome in outcomes where outcome.created {
                #expect(try store.registration(code: outcome.registration.issuedCode) == outcome.registration.asStored)
            }
            let all = try store.registrations(slug: "launch")
            #expect(all.map(\.id) == before.map(\.id) + [outcomes[2].registration.id])
            let event = try #require(try store.event(slug: "launch"))
            #expect(event.ticketsIssued == 1)
            #expect(event.waitlistLength == 4)
        }
    }
}

extension Registration {
    /// The same registration with another waitlist place.
    fileprivate func with(position: Int?) -> Registration {
        var copy = self
        copy.position = position
        return copy
    }
}
