import Foundation
import Testing
import Webinar

/// Codes only their owner can recover (issue 13) and codes kept hashed (issue 14, item 11): in every
/// store, a code is handed out once, registering again never returns it, and a mailed one-time link
/// replaces it.
@Suite("Store: ticket codes hashed, ticket links")
struct TicketLinkStoreTests {
    /// The token of the newest `ticket_link` message, as the sender would read it.
    static func lastToken(_ store: any WebinarStore, now: Date = Fixture.now + 3600) throws -> String? {
        var token: String?
        _ = try store.deliverDueMail(now: now, limit: 1000) { mail in
            if mail.kind == .ticketLink { token = mail.linkSecret }
            return .sent(reply: "250 ok", at: now)
        }
        return token
    }

    @Test(arguments: StoreKind.available)
    func aCodeIsHandedOutOnceAndStoredOnlyAsItsHash(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let ada = try store.register(slug: "launch", name: "Ada", email: "ada@example.com", now: Fixture.now)
            let code = try #require(ada.registration.code)
            #expect(ada.created && SecretCode.looksLike(code, kind: .ticketCode))

            let again = try store.register(slug: "launch", name: "Eve", email: " ADA@example.com", now: Fixture.now)
            #expect(!again.created)
            #expect(again.registration.code == nil, "registering again never returns the code")
            #expect(again.registration.id == ada.registration.id)

            let read = try #require(try store.registration(code: code))
            #expect(read.code == nil && read.id == ada.registration.id, "a store cannot give back a code it only hashed")
            #expect(try store.registrations(slug: "launch").allSatisfy { $0.code == nil })
            #expect(try store.registration(code: SecretCode.hash(code)) == nil, "the hash is not a code")

            // The confirmation mail carries the code while it waits, and drops it once sent.
            var secrets: [String?] = []
            _ = try store.deliverDueMail(now: Fixture.now, limit: 10) { mail in
                secrets.append(mail.linkSecret)
                return .retry(reply: "451 later", at: Fixture.now, next: Fixture.now + 1)
            }
            _ = try store.deliverDueMail(now: Fixture.now + 2, limit: 10) { mail in
                secrets.append(mail.linkSecret)
                return .sent(reply: "250 ok", at: Fixture.now + 2)
            }
            #expect(secrets == [code, code], "a retry keeps the code its message links to")
        }
    }

    @Test(arguments: StoreKind.available)
    func aCancelledRegistrationComesBackWithANewCode(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let first = try #require(try Fixture.register(store, count: 1)[0].code)
            _ = try store.cancel(code: first, now: Fixture.now)
            let back = try store.register(slug: "launch", name: "Person 0", email: "p0@example.com", now: Fixture.now)
            let second = try #require(back.registration.code)
            #expect(back.created && second != first)
            #expect(try store.registration(code: first) == nil, "whoever cancelled does not hold the new registration")
            #expect(try store.registration(code: second)?.status == .ticketed)
        }
    }

    @Test(arguments: StoreKind.available)
    func aMailedLinkReplacesTheCodeOnceWithinADay(kind: StoreKind) throws {
        try kind.with { (store) throws in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let people = try Fixture.register(store, count: 2)
            let old = try #require(people[1].code)
            _ = try Self.lastToken(store)  // the registration mails leave

            #expect(try store.requestTicketLink(slug: "launch", email: "nobody@example.com", now: Fixture.now) == .notRegistered)
            #expect(throws: WebinarError.eventNotFound) {
                try store.requestTicketLink(slug: "nope", email: "p1@example.com", now: Fixture.now)
            }
            #expect(try store.requestTicketLink(slug: "launch", email: "p1@example.com", now: Fixture.now) == .queued)
            #expect(
                try store.requestTicketLink(slug: "launch", email: "p1@example.com", now: Fixture.now + 299) == .recentlySent,
                "at most one link per 5 minutes")
            let token = try #require(try Self.lastToken(store))
            #expect(SecretCode.looksLike(token, kind: .recoveryToken))
            #expect(try store.mailLog(slug: "launch").filter { $0.kind == .ticketLink }.count == 1)

            #expect(throws: WebinarError.recoveryLinkInvalid) { try store.recoverTicket(token: "bch_r_nope", now: Fixture.now) }
            let recovered = try store.recoverTicket(token: token, now: Fixture.now + 60)
            let new = try #require(recovered.code)
            #expect(new != old && recovered.id == people[1].id && recovered.status == .waitlisted && recovered.position == 1)
            #expect(try store.registration(code: old) == nil, "the old code stops working")
            #expect(try store.registration(code: new)?.id == people[1].id)
            #expect(throws: WebinarError.recoveryLinkInvalid, "a link works once") {
                try store.recoverTicket(token: token, now: Fixture.now + 61)
            }

            // A link older than a day does nothing, and is used up all the same.
            #expect(try store.requestTicketLink(slug: "launch", email: "p1@example.com", now: Fixture.now + 600) == .queued)
            let late = try #require(try Self.lastToken(store))
            #expect(throws: WebinarError.recoveryLinkInvalid) {
                try store.recoverTicket(token: late, now: Fixture.now + 600 + TicketLink.validity)
            }
            #expect(try store.registration(code: new)?.id == people[1].id)

            // A cancelled registration gets no link, and a link sent before the cancellation dies with it.
            #expect(try store.requestTicketLink(slug: "launch", email: "p0@example.com", now: Fixture.now) == .queued)
            let beforeCancel = try #require(try Self.lastToken(store))
            _ = try store.cancel(code: try #require(people[0].code), now: Fixture.now + 1)
            #expect(try store.requestTicketLink(slug: "launch", email: "p0@example.com", now: Fixture.now + 900) == .notRegistered)
            #expect(throws: WebinarError.recoveryLinkInvalid) { try store.recoverTicket(token: beforeCancel, now: Fixture.now + 2) }
        }
    }
}
