import Synchronization

/// A value behind a lock, as a class so escaping closures and threads can share it.
final class RehearseLocked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { self.mutex = Mutex(value) }

    func withLock<R: Sendable>(_ body: (inout sending Value) throws -> sending R) rethrows -> R {
        try self.mutex.withLock(body)
    }

    var value: Value { self.mutex.withLock { $0 } }
}
