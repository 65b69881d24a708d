import Foundation
import Testing
import Webinar

/// Claim windows in every store (memory, SQLite, PostgreSQL): the same plan, loaded and written three
/// ways. One seat, a holder and three people waiting; the default window of a day.
@Suite struct OfferStoreTests {
    static let day: TimeInterval = 86_400

    /// Every message due, delivered as sent; returns them.
    @discardableResult
    static func drain(_ store: any WebinarStore, at now: Date = Fixture.now) throws -> [OutboxMail] {
        var mails: [OutboxMail] = []
        _ = try store.deliverDueMail(now: now, limit: 1000) { mail in
            mails.append(mail)
            return .sent(reply: "250 ok", at: now)
        }
        return mails
    }

    @Test(arguments: StoreKind.available)
    func cancelOffersClaimTicketsDeclineAndExpiryPassOn(kind: StoreKind) throws {
        try kind.with { store in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let people = try Fixture.register(store, count: 5)
            try Self.drain(store)

            // The holder cancels: the first waiting is offered the seat for a day, with a one-time link.
            let cancelled = try store.cancel(code: people[0].issuedCode, now: Fixture.now)
            #expect(cancelled.promoted?.id == people[1].id)
            #expect(cancelled.promoted?.status == .offered)
            #expect(cancelled.promoted?.offerExpiresAt == Fixture.now + Self.day)
            let event = try #require(try store.event(slug: "launch"))
            #expect([event.ticketsIssued, event.offersOpen, event.waitlistLength, event.seatsLeft] as [Int] == [0, 1, 3, 0])
            let offerMail = try #require(try Self.drain(store).first { $0.kind == .offered })
            #expect(offerMail.registration.id == people[1].id && offerMail.registration.offerExpiresAt == Fixture.now + Self.day)
            // A newcomer waits behind the open offer.
            let late = try store.register(slug: "launch", name: "Late", email: "late@example.com", now: Fixture.now).registration
            #expect(late.status == .waitlisted && late.position == 4)

            // The offer mail's link gives the ticket page (past a day too while the offer is open:
            // anOfferMailsLinkWorksPastADayWhileTheOfferIsOpen).
            let token = try #require(offerMail.linkSecret)
            let recovered = try store.recoverTicket(token: token, now: Fixture.now + Self.day - 60)
            #expect(recovered.status == .offered)
            let code = try #require(recovered.code)

            // Declining passes it to the next person at once; the decliner cannot claim any more.
            let declined = try store.declineOffer(code: code, now: Fixture.now + 60)
            #expect(declined.registration.status == .cancelled)
            #expect(declined.promoted?.id == people[2].id && declined.promoted?.status == .offered)
            #expect(throws: WebinarError.notOffered) { try store.claimOffer(code: code, now: Fixture.now + 60) }
            #expect(throws: WebinarError.notOffered) { try store.claimOffer(code: people[3].issuedCode, now: Fixture.now) }

            // Nobody claims: a day later the offer lapses and the seat goes to the next person.
            #expect(try store.expireOffers(now: Fixture.now + Self.day).isEmpty, "not before the deadline")
            let passed = try store.expireOffers(now: Fixture.now + 60 + Self.day)
            #expect(passed.map(\.id) == [people[3].id] && passed.first?.status == .offered)
            let lapsed = try #require(try store.registration(code: people[2].issuedCode))
            #expect(lapsed.status == .cancelled && lapsed.offerExpiresAt == Fixture.now + 60 + Self.day)
            #expect(throws: WebinarError.offerExpired) {
                try store.claimOffer(code: people[2].issuedCode, now: Fixture.now + 61 + Self.day)
            }
            #expect(try Self.drain(store, at: Fixture.now + 2 * Self.day).map(\.kind).contains(.offerExpired))

            // The next one claims: a ticket, and claiming again changes nothing.
            let claimed = try store.claimOffer(code: people[3].issuedCode, now: Fixture.now + 120 + Self.day)
            #expect(claimed.status == .ticketed && claimed.offerExpiresAt == nil)
            #expect(try store.claimOffer(code: people[3].issuedCode, now: Fixture.now + 130 + Self.day).status == .ticketed)
            let final = try #require(try store.event(slug: "launch"))
            #expect([final.ticketsIssued, final.offersOpen, final.waitlistLength] as [Int] == [1, 0, 2])
            #expect(try store.registration(code: people[4].issuedCode)?.position == 1)

            // A raise offers the new seats in waiting-list order.
            let (raised, offered) = try store.updateEvent(slug: "launch", patch: EventPatch(capacity: 3), now: Fixture.now + Self.day)
            #expect(offered.map(\.id) == [people[4].id, late.id] && offered.allSatisfy { $0.status == .offered })
            #expect([raised.ticketsIssued, raised.offersOpen, raised.waitlistLength] as [Int] == [1, 2, 0])
        }
    }

    /// An offer mail's link outlives a ticket link's day while the offer is open (a window may be a
    /// week), and stops with the offer.
    @Test(arguments: StoreKind.available)
    func anOfferMailsLinkWorksPastADayWhileTheOfferIsOpen(kind: StoreKind) throws {
        try kind.with { store in
            _ = try store.createEvent(
                Fixture.newEvent(capacity: 1, claimWindowMinutes: 3 * 1440), hostKeyHash: "h", now: Fixture.now)
            let people = try Fixture.register(store, count: 3)
            try Self.drain(store)
            _ = try store.cancel(code: people[0].issuedCode, now: Fixture.now)
            let offerMails = try Self.drain(store).filter { $0.kind == .offered }
            #expect(offerMails.map(\.registration.id) == [people[1].id])
            let token = try #require(offerMails.first?.linkSecret)

            let recovered = try store.recoverTicket(token: token, now: Fixture.now + 2 * Self.day)
            #expect(recovered.id == people[1].id && recovered.status == .offered && recovered.code != nil)

            // Once the offer is gone, a link from its mail is held to a ticket link's day.
            _ = try store.declineOffer(code: try #require(recovered.code), now: Fixture.now + 2 * Self.day)
            let next = try #require(try Self.drain(store, at: Fixture.now + 2 * Self.day).first { $0.kind == .offered })
            _ = try store.claimOffer(code: people[2].issuedCode, now: Fixture.now + 2 * Self.day)
            #expect(throws: WebinarError.recoveryLinkInvalid) {
                try store.recoverTicket(token: try #require(next.linkSecret), now: Fixture.now + 3 * Self.day + 60)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func theLastFifteenMinutesTicketAtOnceAndComingBackClearsTheDeadline(kind: StoreKind) throws {
        try kind.with { store in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            let people = try Fixture.register(store, count: 3)
            // Ten minutes before the start a freed seat is a ticket at once.
            let close = Fixture.starts - 600
            let cancelled = try store.cancel(code: people[0].issuedCode, now: close)
            #expect(cancelled.promoted?.status == .ticketed && cancelled.promoted?.offerExpiresAt == nil)
            // An offer made earlier is cut at startsAt - 15 min.
            _ = try store.updateEvent(slug: "launch", patch: EventPatch(capacity: 2), now: Fixture.starts - 3600)
            let offered = try #require(try store.registration(code: people[2].issuedCode))
            #expect(offered.status == .offered && offered.offerExpiresAt == Fixture.starts - 900)
            // It lapses; registering again comes back waiting (or ticketed), without the old deadline.
            _ = try store.expireOffers(now: Fixture.starts - 900)
            let back = try store.register(slug: "launch", name: "Again", email: people[2].email, now: Fixture.starts - 800)
            #expect(back.created && back.registration.offerExpiresAt == nil)
            #expect(try store.registration(code: back.registration.issuedCode)?.offerExpiresAt == nil)
        }
    }
}
