import BackchannelServer
import Foundation
import ServerTesting
import TestSupport
import Testing

/// Issue 13's claim windows over loopback, with a real SMTP server: a freed seat is offered to the
/// first person waiting (mailed with a one-time link to the ticket page), lapses to the next at its
/// deadline, is claimed or declined; close to the start it is ticketed at once. Expiry is driven by
/// ``BackchannelServer/expireOffers(now:)`` with a clock two days on (the server's timer does the same
/// with the real clock every few seconds), so no test sleeps through a window.
@Suite("Claim windows end to end", .enabled(if: TestSMTPServer.python != nil))
struct ClaimWindowEndToEndTests {
    /// The message to `email` whose subject starts with `subject`, once `count` messages arrived (the
    /// harness reads them in no particular order).
    static func mail(_ harness: MailHarness, _ count: Int, to email: String, _ subject: String) throws -> [String: Any]? {
        try harness.messages(count).first { $0["to"] as? String == email && ($0["subject"] as? String)?.hasPrefix(subject) == true }
    }

    @Test func aFreedSeatIsOfferedLapsesToTheNextAndIsClaimed() throws {
        let harness = try MailHarness()
        defer { harness.stop() }
        let api = try APIClient(port: harness.server.port)
        let hostKey = try api.createEvent(slug: "offers", capacity: 1, extra: ["timeZone": "Europe/Berlin"])
        #expect(try api.event("offers").int("claimWindowMinutes") == 1440, "a day by default")
        var codes: [String] = []
        for name in ["ada", "bob", "cy"] {
            let answer = try api.register(slug: "offers", name: name, email: "\(name)@mail.example.org")
            codes.append(try #require(try answer.json().string("code")))
        }
        _ = try harness.messages(3)

        // Ada cancels: Bob, first in line, is offered the seat until a deadline a day away.
        let cancelledAt = Date()
        #expect(try api.request("DELETE", "/api/registrations/\(codes[0])").status == 200)
        let bob = try api.registration(codes[1])
        #expect(bob.string("status") == "offered")
        let deadline = try #require(bob.string("offerExpiresAt").flatMap(ISO8601DateFormatter().date(from:)))
        #expect(abs(deadline.timeIntervalSince(cancelledAt) - 86_400) < 60)
        let event = try api.event("offers")
        #expect([event.int("ticketsIssued"), event.int("offersOpen"), event.int("seatsLeft")] == [0, 1, 0])
        let offer = try #require(try Self.mail(harness, 5, to: "bob@mail.example.org", "A seat is free for you: Webinar offers"))
        let offerText = offer["text"] as? String ?? ""
        #expect(offerText.contains("Europe/Berlin"), "the deadline in the event's time zone: \(offerText)")
        // The mailed link opens Bob's ticket page (a new code) while the offer is open.
        let token = try #require(TicketLinkEndToEndTests.recoveryToken(in: offerText), "a link to the ticket page")
        let recovered = try api.request("POST", "/api/registrations/recover", json: ["token": token])
        #expect(recovered.status == 200)
        #expect(try recovered.json().string("status") == "offered")
        codes[1] = try #require(try recovered.json().string("code"))
        #expect(!offerText.contains(codes[1]), "stores keep only hashes: no code in the mail")
        #expect(offer["calendar"] is NSNull, "no invitation before the seat is claimed")
        // Cy, still waiting, has nothing to claim.
        let early = try api.request("POST", "/api/registrations/\(codes[2])/claim")
        #expect(early.status == 409 && early.text.contains("not_offered"))

        // Bob does nothing: after the window the seat passes to Cy, with an offer mail.
        #expect(harness.server.server.expireOffers(now: Date() + 2 * 86_400) == 1)
        #expect(try api.registration(codes[1]).string("status") == "cancelled")
        let late = try api.request("POST", "/api/registrations/\(codes[1])/claim")
        #expect(late.status == 409 && late.text.contains("offer_expired"))
        #expect(try api.registration(codes[2]).string("status") == "offered")
        // The offer mail is queued in the same transaction; it is due at the expiry's (simulated) instant,
        // two days on, so it is read from the host's mail log rather than waited for.
        let log = try api.request("GET", "/api/events/offers/mail", token: hostKey).json()["messages"] as? [[String: Any]] ?? []
        #expect(
            log.filter { $0["kind"] as? String == "offered" }.map { $0["email"] as? String }
                == ["bob@mail.example.org", "cy@mail.example.org"])
        #expect(log.filter { $0["kind"] as? String == "offer_expired" }.map { $0["email"] as? String } == ["bob@mail.example.org"])

        // Cy claims with her code before her deadline: a ticket, mailed with the invitation.
        let cyCode = codes[2]
        let claimed = try api.request("POST", "/api/registrations/\(cyCode)/claim")
        #expect(claimed.status == 200 && claimed.header("Cache-Control") == "no-store")
        #expect(try claimed.json().string("status") == "ticketed")
        #expect(try claimed.json()["offerExpiresAt"] is NSNull)
        #expect(try api.request("POST", "/api/registrations/\(cyCode)/claim").status == 200, "claiming twice is no error")
        let ticket = try #require(try Self.mail(harness, 7, to: "cy@mail.example.org", "You have a seat: Webinar offers"))
        #expect((ticket["calendar"] as? [String: Any])?["method"] as? String == "REQUEST")
        let after = try api.event("offers")
        #expect([after.int("ticketsIssued"), after.int("offersOpen"), after.int("waitlistLength")] == [1, 0, 0])
        let unknown = try api.request("POST", "/api/registrations/bch_t_nobodyhasthiscode0000000/claim")
        #expect(unknown.status == 404)
    }

    @Test func declinePassesTheSeatOnAndCloseToTheStartItIsTicketedAtOnce() throws {
        let harness = try MailHarness()
        defer { harness.stop() }
        let api = try APIClient(port: harness.server.port)
        _ = try api.createEvent(slug: "decline", capacity: 1)
        var codes: [String] = []
        for name in ["ann", "ben", "cat"] {
            codes.append(
                try #require(try api.register(slug: "decline", name: name, email: "\(name)@mail.example.org").json().string("code")))
        }
        #expect(try api.request("DELETE", "/api/registrations/\(codes[0])").status == 200)
        #expect(try api.registration(codes[1]).string("status") == "offered")
        let declined = try api.request("POST", "/api/registrations/\(codes[1])/decline")
        #expect(declined.status == 200)
        #expect(try declined.json().string("status") == "cancelled")
        #expect(try api.registration(codes[2]).string("status") == "offered", "the next person is offered at once")
        let again = try api.request("POST", "/api/registrations/\(codes[1])/decline")
        #expect(again.status == 409 && again.text.contains("not_offered"))
        // ann: confirmed, cancelled; ben: waitlisted, offered, left the list (declined); cat: waitlisted,
        // offered. Seven: waiting for six could return before cat's offer (a fresh-clone run did).
        #expect(try Self.mail(harness, 7, to: "cat@mail.example.org", "A seat is free for you: Webinar decline") != nil)

        // An event starting in 10 minutes: a freed seat goes straight to the next person as a ticket.
        let startsAt = ISO8601DateFormatter().string(from: Date() + 600)
        _ = try api.createEvent(slug: "soon", capacity: 1, extra: ["startsAt": startsAt])
        let first = try #require(try api.register(slug: "soon", name: "Dee", email: "dee@mail.example.org").json().string("code"))
        let second = try #require(try api.register(slug: "soon", name: "Eve", email: "eve@mail.example.org").json().string("code"))
        #expect(try api.request("DELETE", "/api/registrations/\(first)").status == 200)
        let eve = try api.registration(second)
        #expect(eve.string("status") == "ticketed")
        #expect(eve["offerExpiresAt"] is NSNull)
        // Four more: dee confirmed and cancelled, eve waitlisted and given the seat.
        #expect(try Self.mail(harness, 11, to: "eve@mail.example.org", "You have a seat: Webinar soon") != nil)
        #expect(
            try harness.messages(11).filter { ($0["subject"] as? String)?.hasPrefix("A seat is free") == true }.count == 2,
            "no offer for the seat freed close to the start")
    }

    @Test func theClaimWindowIsSetOnCreateAndPatchAndChecked() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let hostKey = try api.createEvent(slug: "window", capacity: 5, extra: ["claimWindowMinutes": 60])
        #expect(try api.event("window").int("claimWindowMinutes") == 60)
        let patched = try api.request("PATCH", "/api/events/window", json: ["claimWindowMinutes": 0], token: hostKey)
        #expect(patched.status == 200)
        #expect(try patched.json().int("claimWindowMinutes") == 0)
        for bad in [-1, 10_081] {
            let refused = try api.request("PATCH", "/api/events/window", json: ["claimWindowMinutes": bad], token: hostKey)
            #expect(refused.status == 422 && refused.text.contains("claim window"), "\(refused.text)")
        }
        let created = try api.request(
            "POST", "/api/events",
            json: ["slug": "w2", "title": "W", "startsAt": "2030-11-28T14:00:00Z", "capacity": 1, "claimWindowMinutes": 20_000],
            token: APIClient.adminToken)
        #expect(created.status == 422)
    }
}
