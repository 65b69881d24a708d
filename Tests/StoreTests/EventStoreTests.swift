import Foundation
import Store
import Testing
import Webinar

@Suite("Store: events")
struct EventStoreTests {
    @Test(arguments: StoreKind.available)
    func createAndRead(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let new = NewEvent(
                slug: "launch", title: "  Launch day  ", description: "Hello", startsAt: Fixture.starts,
                capacity: 10, publicViewing: false, moderation: .review)
            let created = try store.createEvent(new, hostKeyHash: "hash", now: Fixture.now)
            #expect(created.slug == "launch")
            #expect(created.title == "Launch day")
            #expect(created.registrationOpen)
            #expect(!created.publicViewing)
            #expect(created.moderation == .review)
            #expect(created.seatsLeft == 10)
            #expect(try store.event(slug: "launch") == created)
            #expect(try store.event(slug: "nope") == nil)
            #expect(try store.hostKeyHash(slug: "launch") == "hash")
            #expect(try store.hostKeyHash(slug: "nope") == nil)
            #expect(try store.events() == [created])
        }
    }

    @Test(arguments: StoreKind.available)
    func takenSlugIsAConflictAndDerivedSlugsGetASuffix(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(slug: "launch-day"), hostKeyHash: "h", now: Fixture.now)
            #expect(throws: WebinarError.slugTaken("launch-day")) {
                try store.createEvent(Fixture.newEvent(slug: "launch-day"), hostKeyHash: "h", now: Fixture.now)
            }
            let derived = try store.createEvent(Fixture.newEvent(slug: nil), hostKeyHash: "h", now: Fixture.now)
            #expect(derived.slug.hasPrefix("launch-day-"))
            #expect(derived.slug.count == "launch-day-".count + 5)
            #expect(Slug.isValid(derived.slug))
            let free = try store.createEvent(
                Fixture.newEvent(slug: nil, title: "Other talk"), hostKeyHash: "h", now: Fixture.now)
            #expect(free.slug == "other-talk")
        }
    }

    @Test(arguments: StoreKind.available)
    func invalidInputIsRejectedBeforeStoring(kind: StoreKind) throws {
        try kind.with { (store) throws in
            #expect(throws: WebinarError.self) {
                try store.createEvent(Fixture.newEvent(capacity: 0), hostKeyHash: "h", now: Fixture.now)
            }
            #expect(try store.events().isEmpty)
        }
    }

    @Test(arguments: StoreKind.available)
    func eventsAreSoonestFirst(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let late = NewEvent(slug: "late", title: "Late", startsAt: Fixture.starts + 100, capacity: 1)
            let early = NewEvent(slug: "early", title: "Early", startsAt: Fixture.starts, capacity: 1)
            _ = try store.createEvent(late, hostKeyHash: "h", now: Fixture.now)
            _ = try store.createEvent(early, hostKeyHash: "h", now: Fixture.now)
            #expect(try store.events().map(\.slug) == ["early", "late"])
        }
    }

    @Test(arguments: StoreKind.available)
    func patchChangesFieldsAndKeepsTheRest(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(), hostKeyHash: "h", now: Fixture.now)
            let patch = EventPatch(
                title: "New title", registrationOpen: false, moderation: .review, slowModeSeconds: 30,
                publicViewing: false, blockedWords: ["Spam", "spam", "scam"])
            let (event, promoted) = try store.updateEvent(slug: "launch", patch: patch, now: Fixture.now)
            #expect(promoted.isEmpty)
            #expect(event.title == "New title")
            #expect(!event.registrationOpen)
            #expect(event.moderation == .review)
            #expect(event.slowModeSeconds == 30)
            #expect(!event.publicViewing)
            #expect(event.blockedWords == ["Spam", "scam"])
            #expect(event.capacity == 3)
            #expect(try store.event(slug: "launch") == event)
            let cleared = try store.updateEvent(slug: "launch", patch: EventPatch(endsAt: .some(nil)), now: Fixture.now)
            #expect(cleared.event.endsAt == nil)
        }
    }

    @Test(arguments: StoreKind.available)
    func aTimeZoneIsKeptChangedAndRemoved(kind: StoreKind) throws {
        try kind.with { (store) throws in
            let new = NewEvent(slug: "zoned", title: "Zoned", startsAt: Fixture.starts, timeZone: " Europe/Berlin ", capacity: 5)
            let created = try store.createEvent(new, hostKeyHash: "h", now: Fixture.now)
            #expect(created.timeZone == "Europe/Berlin")
            #expect(try store.event(slug: "zoned")?.timeZone == "Europe/Berlin")
            let moved = try store.updateEvent(slug: "zoned", patch: EventPatch(timeZone: "America/New_York"), now: Fixture.now)
            #expect(try store.event(slug: "zoned")?.timeZone == "America/New_York")
            #expect(moved.event.timeZone == "America/New_York")
            #expect(throws: WebinarError.self) {
                try store.updateEvent(slug: "zoned", patch: EventPatch(timeZone: "Mars/Olympus"), now: Fixture.now)
            }
            _ = try store.updateEvent(slug: "zoned", patch: EventPatch(timeZone: .some(nil)), now: Fixture.now)
            #expect(try store.event(slug: "zoned")?.timeZone == nil)
        }
    }

    @Test(arguments: StoreKind.available)
    func patchErrors(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(), hostKeyHash: "h", now: Fixture.now)
            #expect(throws: WebinarError.eventNotFound) {
                try store.updateEvent(slug: "nope", patch: EventPatch(title: "x"), now: Fixture.now)
            }
            #expect(throws: WebinarError.invalidField("endsAt", "The end time must be after the start time.")) {
                try store.updateEvent(slug: "launch", patch: EventPatch(endsAt: Fixture.starts - 1), now: Fixture.now)
            }
            #expect(throws: WebinarError.self) {
                try store.updateEvent(slug: "launch", patch: EventPatch(slowModeSeconds: 3601), now: Fixture.now)
            }
            #expect(try store.event(slug: "launch")?.slowModeSeconds == 0)
        }
    }
}
