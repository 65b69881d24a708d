public import Foundation

/// How host actions spell their `detail` in the moderation log, and reading it back.
///
/// Mutes and room state live in memory for speed, but the log is the durable record: a room made after
/// a restart (or on a node that had no room when the mute was set) rebuilds its mutes from it, and a node
/// whose bus connection dropped replays what hosts did meanwhile.
public enum ModerationDetail {
    /// "300 s".
    public static func mute(seconds: Int) -> String { "\(seconds) s" }

    public static func muteSeconds(_ detail: String?) -> Int? { Self.seconds(detail) }

    /// "now #42": the id an approved comment took in the visible sequence.
    public static func approved(id: Int64) -> String { "now #\(id)" }

    public static func approvedId(_ detail: String?) -> Int64? {
        guard let detail, detail.hasPrefix("now #") else { return nil }
        return Int64(detail.dropFirst(5))
    }

    /// "30 s", or "off" for 0.
    public static func slowMode(seconds: Int) -> String { seconds == 0 ? "off" : "\(seconds) s" }

    public static func slowModeSeconds(_ detail: String?) -> Int? { detail == "off" ? 0 : Self.seconds(detail) }

    /// The mutes still running at `now`, by author id, from an event's log (oldest entry first); a later
    /// mute of the same author replaces an earlier one, as it does live.
    public static func activeMutes(in log: [ModerationLogEntry], now: Date) -> [String: Date] {
        var until: [String: Date] = [:]
        for entry in log where entry.action == .mute {
            guard let authorId = entry.target, let seconds = Self.muteSeconds(entry.detail) else { continue }
            until[authorId] = entry.createdAt.addingTimeInterval(TimeInterval(seconds))
        }
        return until.filter { now < $0.value }
    }

    private static func seconds(_ detail: String?) -> Int? {
        guard let detail, detail.hasSuffix(" s") else { return nil }
        return Int(detail.dropLast(2))
    }
}
