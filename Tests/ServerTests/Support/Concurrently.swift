import Foundation
import Synchronization

/// Runs `body(index)` on `threads` real threads that start together, and waits for all of them.
/// (`DispatchQueue.concurrentPerform` would cap the width at the core count.)
enum Concurrently {
    static func run(threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let done = DispatchGroup()
        let gate = DispatchSemaphore(value: 0)
        for index in 0..<threads {
            done.enter()
            let thread = Thread {
                gate.wait()
                body(index)
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        for _ in 0..<threads { gate.signal() }
        done.wait()
    }
}

/// A value shared by test threads, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { self.storage = Mutex(value) }

    func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        self.storage.withLock { body(&$0) }
    }

    var value: Value { self.storage.withLock { $0 } }
}
