import Foundation
import Testing
import Webinar

/// Reading running mutes back from the moderation log, as a new room does after a restart.
@Suite struct MuteRecordTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func entry(_ id: Int64, _ action: ModerationAction, _ target: String?, _ detail: String?, at offset: TimeInterval) -> ModerationLogEntry {
        ModerationLogEntry(id: id, eventId: 1, actor: .host, action: action, target: target, detail: detail,
                           createdAt: self.start.addingTimeInterval(offset))
    }

    @Test func aRunningMuteEndsWhenTheHostSaid() {
        let log = [Self.entry(1, .mute, "ada", MuteRecord.detail(seconds: 300), at: 0)]
        let mutes = MuteRecord.activeMutes(in: log, now: Self.start.addingTimeInterval(100))
        #expect(mutes == ["ada": Self.start.addingTimeInterval(300)])
    }

    @Test func endedMutesAndOtherActionsAreLeftOut() {
        let log = [
            Self.entry(1, .mute, "ada", MuteRecord.detail(seconds: 60), at: 0),
            Self.entry(2, .hide, "17", nil, at: 10),
            Self.entry(3, .slowmode, nil, "30 s", at: 20),
            Self.entry(4, .mute, "bob", MuteRecord.detail(seconds: 600), at: 30),
        ]
        let mutes = MuteRecord.activeMutes(in: log, now: Self.start.addingTimeInterval(61))
        #expect(mutes == ["bob": Self.start.addingTimeInterval(630)], "Ada's minute is over; slow mode is not a mute")
    }

    @Test func theLatestMuteOfAnAuthorWins() {
        let log = [
            Self.entry(1, .mute, "ada", MuteRecord.detail(seconds: 3600), at: 0),
            Self.entry(2, .mute, "ada", MuteRecord.detail(seconds: 10), at: 5),
        ]
        #expect(MuteRecord.activeMutes(in: log, now: Self.start.addingTimeInterval(20)).isEmpty,
                "a shorter mute set later replaces the hour, as it does live")
    }

    @Test func unreadableEntriesAreSkipped() {
        let log = [
            Self.entry(1, .mute, nil, MuteRecord.detail(seconds: 60), at: 0),
            Self.entry(2, .mute, "ada", "a while", at: 0),
            Self.entry(3, .mute, "bob", nil, at: 0),
        ]
        #expect(MuteRecord.activeMutes(in: log, now: Self.start).isEmpty)
    }
}
