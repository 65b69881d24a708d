/// One value per event loop, each touched only on its own loop's thread, so no locks are needed.
///
/// `@unchecked Sendable`: callers must only call `withValue(on:)` on that loop's thread (asserted
/// in debug builds); the array itself never changes size after init.
public final class PerLoop<Value>: @unchecked Sendable {
    private var values: [Value]

    public init(group: EventLoopGroup, makeValue: (EventLoop) -> Value) {
        self.values = group.loops.map(makeValue)
    }

    /// A copy of this loop's value, for reading while callbacks may change the original.
    public func value(on loop: EventLoop) -> Value {
        assert(loop.inEventLoop, "PerLoop value read off its loop")
        return self.values[loop.index]
    }

    public func withValue<R>(on loop: EventLoop, _ body: (inout Value) throws -> R) rethrows -> R {
        assert(loop.inEventLoop, "PerLoop value touched off its loop")
        return try body(&self.values[loop.index])
    }
}
