import DequeModule
import Foundation
import Synchronization

/// Blocking work (a store commit, a NOTIFY) kept off the event loops: items wait in one bounded
/// queue and a few threads of their own take them in batches, so a writer pays its transaction,
/// its WAL write and its wake-up once per batch however many items arrived meanwhile.
///
/// Items are handed over in submission order; with one thread, batches run in that order too.
/// A full queue refuses at once (`submit` returns false), so the caller can answer "busy" instead
/// of letting every request wait behind a flood.
public final class BatchWorker<Item: Sendable>: Sendable {
    /// What happens to items still queued when `stop` is called.
    public enum StopMode: Sendable {
        /// Process them, then end the threads.
        case drain
        /// Drop them; the threads end after the batch they are running.
        case discard
    }

    private struct State {
        var items = Deque<Item>()
        var stopped = false
        var discard = false
        /// Threads asleep on `wake`; each submit wakes one, `stop` wakes them all.
        var sleeping = 0
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let threads: Int
    private let maxBatch: Int
    /// Most items waiting at once; `submit` refuses more.
    public let maxQueue: Int

    private let name: String

    /// A worker of `threads` threads named `name` (`name-0`, `name-1`, … when several), each taking up
    /// to `maxBatch` items at a time, oldest first. Nothing runs before `start`; items submitted
    /// earlier wait for it.
    public init(name: String, threads: Int = 1, maxQueue: Int = .max, maxBatch: Int = .max) {
        precondition(threads > 0 && maxBatch > 0 && maxQueue > 0, "a batch worker needs a thread, a batch and a queue")
        self.name = name
        self.threads = threads
        self.maxBatch = maxBatch
        self.maxQueue = maxQueue
    }

    /// Starts the threads; each calls `process` with one batch at a time. Call it once: an owner
    /// starts its worker at the end of its own init, when `process` may capture it.
    public func start(_ process: @escaping @Sendable ([Item]) -> Void) {
        for index in 0..<self.threads {
            let thread = Thread { [self] in
                self.run(process)
                self.finished.signal()
            }
            thread.name = self.threads == 1 ? self.name : "\(self.name)-\(index)"
            thread.start()
        }
    }

    /// Queues `item`; false (nothing queued) when the queue is full or the worker stopped.
    public func submit(_ item: Item) -> Bool {
        let (accepted, wakeOne) = self.state.withLock { state -> (Bool, Bool) in
            guard !state.stopped, state.items.count < self.maxQueue else { return (false, false) }
            state.items.append(item)
            guard state.sleeping > 0 else { return (true, false) }
            state.sleeping -= 1
            return (true, true)
        }
        if wakeOne { self.wake.signal() }
        return accepted
    }

    /// Refuses further items and lets the threads end (see ``StopMode``); returns at once.
    public func stop(_ mode: StopMode = .drain) {
        let sleeping = self.state.withLock { state -> Int in
            state.stopped = true
            state.discard = state.discard || mode == .discard
            defer { state.sleeping = 0 }
            return state.sleeping
        }
        for _ in 0..<sleeping { self.wake.signal() }
    }

    /// Waits until every thread has ended (after `stop`), at most `timeout`; false if one is still running.
    @discardableResult
    public func join(timeout: Duration = .seconds(10)) -> Bool {
        let deadline = DispatchTime.now() + .milliseconds(Int(timeout / .milliseconds(1)))
        for _ in 0..<self.threads {
            guard self.finished.wait(timeout: deadline) == .success else { return false }
        }
        // Give the signals back, so a second `join` returns at once too.
        for _ in 0..<self.threads { self.finished.signal() }
        return true
    }

    private func run(_ process: @Sendable ([Item]) -> Void) {
        while true {
            let batch = self.state.withLock { state -> [Item]? in
                if state.stopped && (state.discard || state.items.isEmpty) { return nil }
                guard !state.items.isEmpty else {
                    state.sleeping += 1
                    return []
                }
                let count = min(state.items.count, self.maxBatch)
                defer { state.items.removeFirst(count) }
                return Array(state.items.prefix(count))
            }
            guard let batch else { return }
            if batch.isEmpty {
                self.wake.wait()
            } else {
                process(batch)
            }
        }
    }
}
