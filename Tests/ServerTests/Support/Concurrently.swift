import Foundation

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
