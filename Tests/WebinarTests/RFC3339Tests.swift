import Foundation
import Testing
import Webinar

@Suite("RFC3339")
struct RFC3339Tests {
    @Test(arguments: [
        ("2026-11-28T14:00:00Z", 1_795_874_400.0),
        ("2026-11-28t14:00:00z", 1_795_874_400.0),
        ("2026-11-28 14:00:00Z", 1_795_874_400.0),
        ("2026-11-28T15:30:00+01:30", 1_795_874_400.0),
        ("2026-11-28T09:00:00-05:00", 1_795_874_400.0),
        ("2026-11-28T14:00:00.250Z", 1_795_874_400.25),
        ("1970-01-01T00:00:00Z", 0),
        ("2024-02-29T00:00:00Z", 1_709_164_800),
        ("1969-12-31T23:59:59Z", -1),
        ("2100-03-01T00:00:00Z", 4_107_542_400),
    ])
    func parses(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(arguments: [
        "", "2026-11-28", "2026-11-28T14:00:00", "2026-11-28T14:00Z", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-11-31T00:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T14:60:00Z", "2026-11-28T14:00:00.Z",
        "2026-11-28T14:00:00+0100", "2026-11-28T14:00:00Z ", "26-11-28T14:00:00Z", "2026-11-28T14:00:00+24:00",
        "2100-02-29T00:00:00Z",
    ])
    func rejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsInUTCWholeSeconds() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_874_400)) == "2026-11-28T14:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_874_400.999)) == "2026-11-28T14:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 4_107_542_399)) == "2100-02-28T23:59:59Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 4_107_542_400)) == "2100-03-01T00:00:00Z")
    }

    @Test func roundTripsEveryDayForYears() throws {
        var seconds = 946_684_800.0  // 2000-01-01
        while seconds < 4_102_444_800 {  // 2100-01-01
            let text = RFC3339.format(Date(timeIntervalSince1970: seconds + 45_296))
            #expect(RFC3339.parse(text)?.timeIntervalSince1970 == seconds + 45_296, "\(text)")
            seconds += 86_400 * 7
        }
    }

    @Test func invalidFieldError() {
        #expect(throws: WebinarError.invalidField("startsAt", "Use an RFC 3339 time such as 2026-11-28T14:00:00Z.")) {
            try RFC3339.date("tomorrow", field: "startsAt")
        }
    }
}
