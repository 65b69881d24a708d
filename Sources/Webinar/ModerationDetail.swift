/// How approve and slow-mode entries spell their detail in the moderation log, and reading it back, so a
/// node that missed the live messages can rebuild them from the log (mutes: `MuteRecord`).
public enum ModerationDetail {
    /// "now #42": the id an approved comment took in the visible sequence.
    public static func approved(id: Int64) -> String { "now #\(id)" }

    public static func approvedId(_ detail: String?) -> Int64? {
        guard let detail, detail.hasPrefix("now #") else { return nil }
        return Int64(detail.dropFirst(5))
    }

    /// "30 s", or "off" for 0.
    public static func slowMode(seconds: Int) -> String { seconds == 0 ? "off" : "\(seconds) s" }

    public static func slowModeSeconds(_ detail: String?) -> Int? {
        guard let detail else { return nil }
        if detail == "off" { return 0 }
        guard detail.hasSuffix(" s") else { return nil }
        return Int(detail.dropLast(2))
    }
}
