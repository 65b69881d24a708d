import Foundation
import Store
import Testing
import Webinar

@Suite("Store: registrations and the waitlist")
struct RegistrationStoreTests {
    @Test(arguments: StoreKind.available)
    func registerUntilFullThenWaitlistWithPositions(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 3), hostKeyHash: "h", now: Fixture.now)
            let all = try Fixture.register(store, count: 7)
            #expect(all.map(\.status) == [.ticketed, .ticketed, .ticketed, .waitlisted, .waitlisted, .waitlisted, .waitlisted])
            #expect(all.map(\.position) == [nil, nil, nil, 1, 2, 3, 4])
            #expect(Set(all.map(\.code)).count == 7)
            #expect(Set(all.map(\.authorId)).count == 7)
            #expect(
                all.allSatisfy {
                    $0.code != $0.authorId && SecretCode.looksLike($0.issuedCode, kind: .ticketCode) && $0.eventSlug == "launch"
                })
            let event = try #require(try store.event(slug: "launch"))
            #expect(event.ticketsIssued == 3)
            #expect(event.seatsLeft == 0)
            #expect(event.waitlistLength == 4)
            for registration in all {
                #expect(try store.registration(code: registration.issuedCode) == registration.asStored)
            }
            #expect(try store.registrations(slug: "launch") == all.map(\.asStored))
            #expect(try store.registration(code: "unknown") == nil)
        }
    }

    @Test(arguments: StoreKind.available)
    func sameEmailReturnsTheSameRegistration(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let first = try store.register(slug: "launch", name: "Ada", email: "ada@example.com", now: Fixture.now)
            #expect(first.created)
            #expect(first.registration.email == "ada@example.com")
            for variant in ["ADA@Example.com", "  ada@example.com\n", "\tAda@EXAMPLE.COM "] {
                let again = try store.register(slug: "launch", name: "Other", email: variant, now: Fixture.now)
                #expect(!again.created)
                #expect(again.registration == first.registration.asStored)
            }
            #expect(try store.event(slug: "launch")?.ticketsIssued == 1)
            #expect(try store.registrations(slug: "launch").count == 1)
        }
    }

    @Test(arguments: StoreKind.available)
    func registrationErrors(kind: StoreKind) throws {
        try kind.with { (store) throws in
            #expect(throws: WebinarError.eventNotFound) {
                try store.register(slug: "nope", name: "Ada", email: "ada@example.com", now: Fixture.now)
            }
            _ = try store.createEvent(Fixture.newEvent(), hostKeyHash: "h", now: Fixture.now)
            #expect(throws: WebinarError.self) {
                try store.register(slug: "launch", name: "Ada", email: "not-an-email", now: Fixture.now)
            }
            #expect(throws: WebinarError.self) {
                try store.register(slug: "launch", name: " ", email: "ada@example.com", now: Fixture.now)
            }
            #expect(throws: WebinarError.registrationNotFound) { try store.cancel(code: "nope", now: Fixture.now) }
            #expect(throws: WebinarError.eventNotFound) { try store.registrations(slug: "nope") }
        }
    }

    @Test(arguments: StoreKind.available)
    func closedRegistration(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(), hostKeyHash: "h", now: Fixture.now)
            let ada = try store.register(slug: "launch", name: "Ada", email: "ada@example.com", now: Fixture.now)
            _ = try store.updateEvent(slug: "launch", patch: EventPatch(registrationOpen: false), now: Fixture.now)
            let error = #expect(throws: WebinarError.self) {
                try store.register(slug: "launch", name: "Bob", email: "bob@example.com", now: Fixture.now)
            }
            #expect(error?.kind == .closed)
            #expect(error?.code == "registration_closed")
            // Someone already registered still gets their registration back.
            let again = try store.register(slug: "launch", name: "Ada", email: "ada@example.com", now: Fixture.now)
            #expect(again.registration == ada.registration.asStored)
            #expect(!again.created)
        }
    }

    @Test(arguments: StoreKind.available)
    func cancellingATicketPromotesInOrderAndPositionsMoveUp(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 2, claimWindowMinutes: 0), hostKeyHash: "h", now: Fixture.now)
            let all = try Fixture.register(store, count: 5)
            let first = try store.cancel(code: all[0].issuedCode, now: Fixture.now)
            #expect(first.registration.status == .cancelled)
            #expect(first.registration.position == nil)
            #expect(first.promoted?.id == all[2].id)
            #expect(first.promoted?.status == .ticketed)
            #expect(first.promoted?.position == nil)
            #expect(try store.registration(code: all[3].issuedCode)?.position == 1)
            #expect(try store.registration(code: all[4].issuedCode)?.position == 2)

            // Cancelling twice is idempotent and promotes nobody.
            let twice = try store.cancel(code: all[0].issuedCode, now: Fixture.now)
            #expect(twice.registration.status == .cancelled)
            #expect(twice.promoted == nil)

            // Cancelling a waitlisted registration promotes nobody and moves the rest up.
            let waiting = try store.cancel(code: all[3].issuedCode, now: Fixture.now)
            #expect(waiting.promoted == nil)
            #expect(try store.registration(code: all[4].issuedCode)?.position == 1)

            let second = try store.cancel(code: all[1].issuedCode, now: Fixture.now)
            #expect(second.promoted?.id == all[4].id)
            let event = try #require(try store.event(slug: "launch"))
            #expect(event.ticketsIssued == 2)
            #expect(event.waitlistLength == 0)
            #expect(
                try store.registrations(slug: "launch").map(\.status) == [
                    .cancelled, .cancelled, .ticketed, .cancelled, .ticketed,
                ])
        }
    }

    @Test(arguments: StoreKind.available)
    func cancelledEmailRegistersAgainAtTheEndOfTheQueue(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let all = try Fixture.register(store, count: 3)
            _ = try store.cancel(code: all[1].issuedCode, now: Fixture.now)
            let back = try store.register(slug: "launch", name: "Person 1", email: "P1@example.com", now: Fixture.now)
            #expect(back.created)
            #expect(back.registration.code != nil && back.registration.code != all[1].code, "a new code")
            #expect(back.registration.status == .waitlisted)
            #expect(back.registration.position == 2)
            #expect(try store.event(slug: "launch")?.waitlistLength == 2)
        }
    }

    @Test(arguments: StoreKind.available)
    func raisingCapacityPromotesInOrder(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 2, claimWindowMinutes: 0), hostKeyHash: "h", now: Fixture.now)
            let all = try Fixture.register(store, count: 6)
            let (event, promoted) = try store.updateEvent(
                slug: "launch", patch: EventPatch(capacity: 4), now: Fixture.now)
            #expect(promoted.map(\.id) == [all[2].id, all[3].id])
            #expect(promoted.allSatisfy { $0.status == .ticketed && $0.position == nil })
            #expect(event.capacity == 4)
            #expect(event.ticketsIssued == 4)
            #expect(event.waitlistLength == 2)
            #expect(try store.registration(code: all[4].issuedCode)?.position == 1)
            #expect(try store.registration(code: all[5].issuedCode)?.position == 2)

            // More seats than people waiting: everyone is promoted, seats stay left.
            let (roomy, rest) = try store.updateEvent(slug: "launch", patch: EventPatch(capacity: 10), now: Fixture.now)
            #expect(rest.map(\.id) == [all[4].id, all[5].id])
            #expect(roomy.seatsLeft == 4)
            #expect(roomy.waitlistLength == 0)
        }
    }

    @Test(arguments: StoreKind.available)
    func loweringCapacityBelowTicketsIsAConflict(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 5), hostKeyHash: "h", now: Fixture.now)
            try Fixture.register(store, count: 3)
            #expect(throws: WebinarError.capacityBelowTickets(capacity: 2, ticketsIssued: 3)) {
                try store.updateEvent(slug: "launch", patch: EventPatch(capacity: 2), now: Fixture.now)
            }
            let lowered = try store.updateEvent(slug: "launch", patch: EventPatch(capacity: 3), now: Fixture.now)
            #expect(lowered.event.seatsLeft == 0)
            #expect(try Fixture.register(store, count: 1, from: 10).first?.status == .waitlisted)
        }
    }
}
