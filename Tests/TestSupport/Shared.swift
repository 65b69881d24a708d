import Synchronization

/// A value shared by test threads, behind a lock.
public final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    public init(_ value: Value) { self.storage = Mutex(value) }

    public func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        self.storage.withLock { body(&$0) }
    }

    public var value: Value { self.storage.withLock { $0 } }
}
