import Foundation
import LiveHub
import Synchronization

/// A clock that moves only when a test says so: time-dependent rules are checked without sleeping.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.current = Mutex(start)
    }

    var now: Date { self.current.withLock { $0 } }

    func advance(seconds: TimeInterval) {
        self.current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// The clock the live types take.
    var live: LiveClock { LiveClock { [self] in self.now } }
}
