import Foundation
import LiveHub
import Testing
import Webinar

/// What a node that lost its listening connection replays from the moderation log.
@Suite struct ModerationReplayTests {
    static func entry(_ action: ModerationAction, target: String? = nil, detail: String? = nil) -> ModerationLogEntry {
        ModerationLogEntry(
            id: 0, eventId: 1, actor: .host, action: action, target: target, detail: detail, createdAt: Date(timeIntervalSince1970: 0))
    }

    @Test func everyHostActionWithARoomMessageIsReplayedInLogOrder() {
        let log = [
            Self.entry(.hide, target: "3", detail: "spam"),
            Self.entry(.pin, target: "4"),
            Self.entry(.unpin, target: "4"),
            Self.entry(.approve, target: "5", detail: ModerationDetail.approved(id: 9)),
            Self.entry(.mute, target: "a1", detail: ModerationDetail.mute(seconds: 120)),
            Self.entry(.slowmode, detail: ModerationDetail.slowMode(seconds: 30)),
            Self.entry(.slowmode, detail: ModerationDetail.slowMode(seconds: 0)),
            Self.entry(.answered, target: "6"),
            Self.entry(.answering, target: "7"),
            Self.entry(.dismissed, target: "8"),
        ]
        #expect(
            ModerationReplay.messages(from: log, slug: "e") == [
                .hidden(commentId: 3), .pinned(commentId: 4), .unpinned(commentId: 4), .approved(heldId: 5, id: 9),
                .muted(authorId: "a1", seconds: 120), .slowMode(seconds: 30, slug: "e"), .slowMode(seconds: 0, slug: "e"),
                .questionState(commentId: 6, state: .answered), .questionState(commentId: 7, state: .answering),
                .questionState(commentId: 8, state: .dismissed),
            ])
    }

    @Test func actionsWithoutARoomMessageOrWithABrokenLineAreSkipped() {
        let log = [
            Self.entry(.unhide, target: "3"),
            Self.entry(.blockedWords, detail: "spam"),
            Self.entry(.hide, target: "not a number"),
            Self.entry(.approve, target: "5", detail: "garbled"),
            Self.entry(.mute, target: "a1", detail: nil),
            Self.entry(.pin, target: "6"),
        ]
        #expect(ModerationReplay.messages(from: log, slug: "e") == [.pinned(commentId: 6)])
    }
}
