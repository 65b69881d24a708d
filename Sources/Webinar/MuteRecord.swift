import Foundation

/// How a mute is written to the moderation log, and read back from it.
///
/// Mutes live in each room's memory for speed, but the log is the durable record: a room made after a
/// restart, or on another node that had no room for the event when the mute was set, rebuilds its
/// mutes from the log so a muted author stays muted until the time the host chose.
public enum MuteRecord {
    /// The log entry's `detail` for a mute of `seconds`, e.g. "300 s".
    public static func detail(seconds: Int) -> String { "\(seconds) s" }

    /// The mutes still running at `now`, by author id, from an event's log (oldest entry first); a later
    /// mute of the same author replaces an earlier one, as it does live.
    public static func activeMutes(in log: [ModerationLogEntry], now: Date) -> [String: Date] {
        var until: [String: Date] = [:]
        for entry in log where entry.action == .mute {
            guard let authorId = entry.target, let seconds = self.seconds(in: entry.detail) else { continue }
            until[authorId] = entry.createdAt.addingTimeInterval(TimeInterval(seconds))
        }
        return until.filter { now < $0.value }
    }

    /// The mute's length from its `detail`, nil when unreadable.
    public static func seconds(in detail: String?) -> Int? {
        guard let detail, detail.hasSuffix(" s") else { return nil }
        return Int(detail.dropLast(2))
    }
}
