import Foundation
import ServerTesting
import Testing

/// The ticket page's "Add to calendar" download: the invitation the confirmation mail carries.
@Suite struct CalendarDownloadTests {
    @Test func aTicketHolderDownloadsTheEventAsICSAndOthersDoNot() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "ics", capacity: 1)
        let ada = try Fixture.register(server.port, slug: "ics", name: "Ada")
        let bob = try Fixture.register(server.port, slug: "ics", name: "Bob")
        #expect(bob.status == "waitlisted")

        let file = try Fixture.request(server.port, "GET", "/api/registrations/\(ada.code)/calendar.ics")
        #expect(file.status == 200)
        #expect(file.header("Content-Type")?.hasPrefix("text/calendar") == true)
        #expect(file.header("Content-Disposition") == "attachment; filename=\"ics.ics\"")
        #expect(file.header("Cache-Control") == "no-store", "the address carries the ticket code")
        let lines = file.text.components(separatedBy: "\r\n")
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.contains("END:VCALENDAR"))
        #expect(lines.contains("SUMMARY:Launch ics"))
        #expect(lines.contains("DTSTART:20261128T140000Z") && lines.contains("DTEND:20261128T150000Z"))
        #expect(lines.contains { $0.hasPrefix("UID:registration-") }, "the mail's UID, so one calendar entry")
        #expect(file.text.contains("/events/ics/live"))

        let waiting = try Fixture.request(server.port, "GET", "/api/registrations/\(bob.code)/calendar.ics")
        #expect(waiting.status == 403)
        #expect((try waiting.json()["error"] as? [String: Any])?["code"] as? String == "not_ticketed")
        let unknown = try Fixture.request(server.port, "GET", "/api/registrations/bch_t_nothere/calendar.ics")
        #expect(unknown.status == 404)
    }
}
