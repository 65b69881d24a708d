import Foundation
import Testing
import Webinar

/// Log details are read back after a restart or an outage, so what is written must parse to what was
/// meant, and the mutes still running come out of the log as they were set.
@Suite struct ModerationDetailTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func entry(_ id: Int64, _ action: ModerationAction, _ target: String?, _ detail: String?, at offset: TimeInterval)
        -> ModerationLogEntry
    {
        ModerationLogEntry(
            id: id, eventId: 1, actor: .host, action: action, target: target, detail: detail,
            createdAt: self.start.addingTimeInterval(offset))
    }

    @Test func aRunningMuteEndsWhenTheHostSaid() {
        let log = [Self.entry(1, .mute, "ada", ModerationDetail.mute(seconds: 300), at: 0)]
        let mutes = ModerationDetail.activeMutes(in: log, now: Self.start.addingTimeInterval(100))
        #expect(mutes == ["ada": Self.start.addingTimeInterval(300)])
    }

    @Test func endedMutesAndOtherActionsAreLeftOut() {
        let log = [
            Self.entry(1, .mute, "ada", ModerationDetail.mute(seconds: 60), at: 0),
            Self.entry(2, .hide, "17", nil, at: 10),
            Self.entry(3, .slowmode, nil, "30 s", at: 20),
            Self.entry(4, .mute, "bob", ModerationDetail.mute(seconds: 600), at: 30),
        ]
        let mutes = ModerationDetail.activeMutes(in: log, now: Self.start.addingTimeInterval(61))
        #expect(mutes == ["bob": Self.start.addingTimeInterval(630)], "Ada's minute is over; slow mode is not a mute")
    }

    @Test func theLatestMuteOfAnAuthorWins() {
        let log = [
            Self.entry(1, .mute, "ada", ModerationDetail.mute(seconds: 3600), at: 0),
            Self.entry(2, .mute, "ada", ModerationDetail.mute(seconds: 10), at: 5),
        ]
        #expect(
            ModerationDetail.activeMutes(in: log, now: Self.start.addingTimeInterval(20)).isEmpty,
            "a shorter mute set later replaces the hour, as it does live")
    }

    @Test func unreadableEntriesAreSkipped() {
        let log = [
            Self.entry(1, .mute, nil, ModerationDetail.mute(seconds: 60), at: 0),
            Self.entry(2, .mute, "ada", "a while", at: 0),
            Self.entry(3, .mute, "bob", nil, at: 0),
        ]
        #expect(ModerationDetail.activeMutes(in: log, now: Self.start).isEmpty)
    }

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
