import Foundation
import Testing
import Webinar

@Suite("Validation")
struct ValidationTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// The field of the `invalid_field` error `body` throws, or nil when it throws nothing.
    private func field(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            guard let error = error as? WebinarError else {
                Issue.record("unexpected \(error)")
                return nil
            }
            #expect(error.kind == .invalid)
            #expect(error.code == "invalid_field")
            #expect(!error.message.isEmpty)
            return error.field
        }
    }

    @Test func titles() throws {
        #expect(try Validation.title("  Launch  ") == "Launch")
        #expect(try Validation.title(String(repeating: "é", count: 200)).count == 200)
        #expect(self.field { _ = try Validation.title("   ") } == "title")
        #expect(self.field { _ = try Validation.title(String(repeating: "a", count: 201)) } == "title")
    }

    @Test func descriptions() throws {
        #expect(try Validation.description("") == "")
        #expect(try Validation.description(String(repeating: "a", count: 5000)).count == 5000)
        #expect(self.field { _ = try Validation.description(String(repeating: "a", count: 5001)) } == "description")
    }

    @Test func names() throws {
        #expect(try Validation.name("  Ada Lovelace ") == "Ada Lovelace")
        #expect(try Validation.name("Zoë 李") == "Zoë 李")
        #expect(self.field { _ = try Validation.name("") } == "name")
        #expect(self.field { _ = try Validation.name(String(repeating: "a", count: 201)) } == "name")
        #expect(self.field { _ = try Validation.name("Ada\nLovelace") } == "name")
        #expect(self.field { _ = try Validation.name("Ada\u{0}") } == "name")
        #expect(self.field { _ = try Validation.name("Ada\u{2028}x") } == "name")
    }

    @Test(arguments: [
        ("ada@example.com", "ada@example.com"),
        ("  Ada@Example.COM\n", "ada@example.com"),
        ("a.b+c@mail.example.co.uk", "a.b+c@mail.example.co.uk"),
    ])
    func validEmails(raw: String, normalized: String) throws {
        #expect(try Validation.email(raw) == normalized)
    }

    @Test(arguments: [
        "", "ada", "ada@", "@example.com", "ada@example", "ada@@example.com", "a@b@example.com", "ada@.com",
        "ada@example.", "ada@exa..mple.com", "ada lovelace@example.com", "ada@exam\tple.com",
        String(repeating: "a", count: 250) + "@x.io",
    ])
    func invalidEmails(raw: String) {
        #expect(self.field { _ = try Validation.email(raw) } == "email")
    }

    @Test func capacities() throws {
        #expect(try Validation.capacity(1) == 1)
        #expect(try Validation.capacity(1_000_000) == 1_000_000)
        #expect(self.field { _ = try Validation.capacity(0) } == "capacity")
        #expect(self.field { _ = try Validation.capacity(1_000_001) } == "capacity")
    }

    @Test func slowMode() throws {
        #expect(try Validation.slowModeSeconds(0) == 0)
        #expect(try Validation.slowModeSeconds(3600) == 3600)
        #expect(self.field { _ = try Validation.slowModeSeconds(-1) } == "slowModeSeconds")
        #expect(self.field { _ = try Validation.slowModeSeconds(3601) } == "slowModeSeconds")
    }

    @Test func blockedWords() throws {
        #expect(try Validation.blockedWords([" Spam ", "SPAM", "scam"]) == ["Spam", "scam"])
        #expect(try Validation.blockedWords(Array(repeating: "x", count: 200)) == ["x"])
        #expect(self.field { _ = try Validation.blockedWords(Array(repeating: "x", count: 201)) } == "blockedWords")
        #expect(self.field { _ = try Validation.blockedWords([" "]) } == "blockedWords")
        #expect(self.field { _ = try Validation.blockedWords([String(repeating: "a", count: 101)]) } == "blockedWords")
    }

    @Test func newEvent() throws {
        let valid = try NewEvent(title: " Launch ", description: " Hi ", startsAt: self.start, capacity: 5).validated()
        #expect(valid.title == "Launch")
        #expect(valid.description == "Hi")
        #expect(valid.slug == nil)
        let event = valid.event(id: 7, slug: "launch", createdAt: self.start)
        #expect(event.registrationOpen && event.publicViewing && event.moderation == .open)
        #expect(event.slowModeSeconds == 0 && event.blockedWords.isEmpty && event.description == "Hi")

        #expect(self.field { _ = try NewEvent(slug: "Bad Slug", title: "t", startsAt: self.start, capacity: 1).validated() } == "slug")
        #expect(self.field { _ = try NewEvent(title: "", startsAt: self.start, capacity: 1).validated() } == "title")
        #expect(self.field { _ = try NewEvent(title: "t", startsAt: self.start, capacity: 0).validated() } == "capacity")
        #expect(
            self.field { _ = try NewEvent(title: "t", startsAt: self.start, endsAt: self.start, capacity: 1).validated() }
                == "endsAt")
        #expect(
            self.field {
                _ = try NewEvent(title: "t", description: String(repeating: "a", count: 5001), startsAt: self.start, capacity: 1)
                    .validated()
            } == "description")
    }

    @Test func eventPatch() throws {
        let event = Event(
            id: 1, slug: "e", title: "T", startsAt: self.start, endsAt: self.start + 3600, capacity: 10,
            ticketsIssued: 6, waitlistLength: 3, createdAt: self.start)
        let raised = try EventPatch(capacity: 12).applied(to: event)
        #expect(raised.capacity == 12)
        #expect(raised.promotable == 3)
        #expect(try EventPatch(capacity: 6).applied(to: event).seatsLeft == 0)
        #expect(throws: WebinarError.capacityBelowTickets(capacity: 5, ticketsIssued: 6)) {
            try EventPatch(capacity: 5).applied(to: event)
        }
        // The end is checked against the start the event keeps.
        #expect(self.field { _ = try EventPatch(startsAt: self.start + 7200).applied(to: event) } == "endsAt")
        #expect(try EventPatch(startsAt: self.start + 7200, endsAt: .some(nil)).applied(to: event).endsAt == nil)
        #expect(self.field { _ = try EventPatch(title: " ").applied(to: event) } == "title")
        #expect(self.field { _ = try EventPatch(slowModeSeconds: 4000).applied(to: event) } == "slowModeSeconds")
        #expect(try EventPatch().applied(to: event) == event)
    }

    @Test func timeZonesAreIANANames() throws {
        #expect(try Validation.timeZone("Europe/Berlin") == "Europe/Berlin")
        #expect(try Validation.timeZone(" America/New_York ") == "America/New_York")
        #expect(try Validation.timeZone("UTC") == "UTC")
        for bad in ["", "Mars/Olympus", "Europe/Berlin\u{0}", "../../etc/passwd", String(repeating: "A", count: 65), "+01:00"] {
            #expect(self.field { _ = try Validation.timeZone(bad) } == "timeZone", "\(bad) is refused")
        }
        let event = Event(id: 1, slug: "e", title: "T", startsAt: self.start, timeZone: "Europe/Berlin", capacity: 1, createdAt: self.start)
        #expect(try EventPatch().applied(to: event).timeZone == "Europe/Berlin")
        #expect(try EventPatch(timeZone: .some(nil)).applied(to: event).timeZone == nil)
        #expect(
            self.field { _ = try NewEvent(title: "t", startsAt: self.start, timeZone: "Nowhere", capacity: 1).validated() } == "timeZone")
    }

    @Test func newRegistration() throws {
        let new = try NewRegistration(name: " Ada ", email: " ADA@example.com ")
        #expect(new.name == "Ada" && new.email == "ada@example.com")
        #expect(self.field { _ = try NewRegistration(name: "", email: "bad") } == "name")
        #expect(self.field { _ = try NewRegistration(name: "Ada", email: "bad") } == "email")
    }

    @Test func errorKindsAndCodes() {
        #expect(WebinarError.eventNotFound.kind == .notFound && WebinarError.eventNotFound.code == "event_not_found")
        #expect(WebinarError.registrationNotFound.code == "registration_not_found")
        #expect(WebinarError.registrationClosed.kind == .closed && WebinarError.registrationClosed.code == "registration_closed")
        #expect(WebinarError.slugTaken("x").kind == .conflict && WebinarError.slugTaken("x").code == "slug_taken")
        let below = WebinarError.capacityBelowTickets(capacity: 1, ticketsIssued: 2)
        #expect(below.kind == .conflict && below.code == "capacity_below_tickets" && below.field == "capacity")
        #expect(WebinarError.commentNotFound.code == "comment_not_found")
        #expect(WebinarError.notHeld.kind == .conflict)
    }
}
