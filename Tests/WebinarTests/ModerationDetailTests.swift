import Testing
import Webinar

/// Log details are read back after an outage, so what is written must parse to what was meant.
@Suite struct ModerationDetailTests {
    @Test func approvedIdsRoundTrip() {
        #expect(ModerationDetail.approvedId(ModerationDetail.approved(id: 4711)) == 4711)
        #expect(ModerationDetail.approvedId("now #") == nil)
        #expect(ModerationDetail.approvedId("4711") == nil)
        #expect(ModerationDetail.approvedId(nil) == nil)
    }

    @Test func slowModeRoundTripsWithOffAsZero() {
        for seconds in [0, 1, 30, 3600] {
            #expect(ModerationDetail.slowModeSeconds(ModerationDetail.slowMode(seconds: seconds)) == seconds)
        }
        #expect(ModerationDetail.slowMode(seconds: 0) == "off")
        #expect(ModerationDetail.slowModeSeconds("soon") == nil)
    }
}
