public import Foundation

/// The wall clock the live rules read (slow mode, mutes, rate limits, the time a comment or a host
/// action is stored with). Passed in rather than read with `Date()`, so a test can move time on
/// and see a mute run out without sleeping.
public struct LiveClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// The system's clock.
    public static let system = LiveClock { Date() }
}
