import Foundation
import Sockets
import Synchronization
import Testing

/// What the writers rely on: batches in order, a bounded queue that says no, and a stop that
/// either finishes or drops what waits. A gate (a semaphore the first batch waits on) holds the
/// thread busy while items pile up, so nothing here depends on timing.
@Suite struct BatchWorkerTests {
    /// Records every batch; the first one waits for `gate` before returning.
    final class Recorder: Sendable {
        let batches = Mutex<[[Int]]>([])
        let gate = DispatchSemaphore(value: 0)
        let firstStarted = DispatchSemaphore(value: 0)

        func process(_ batch: [Int]) {
            let first = self.batches.withLock { batches -> Bool in
                batches.append(batch)
                return batches.count == 1
            }
            if first {
                self.firstStarted.signal()
                self.gate.wait()
            }
        }
    }

    @Test func itemsQueuedWhileBusyArriveAsOneBatchInOrder() {
        let recorder = Recorder()
        let worker = BatchWorker<Int>(name: "test-batch")
        worker.start { recorder.process($0) }
        #expect(worker.submit(0))
        recorder.firstStarted.wait()
        for item in 1...5 { #expect(worker.submit(item)) }
        recorder.gate.signal()
        worker.stop(.drain)
        #expect(worker.join())
        #expect(recorder.batches.withLock { $0 } == [[0], [1, 2, 3, 4, 5]])
    }

    @Test func maxBatchSplitsTheQueue() {
        let recorder = Recorder()
        let worker = BatchWorker<Int>(name: "test-batch", maxBatch: 2)
        worker.start { recorder.process($0) }
        #expect(worker.submit(0))
        recorder.firstStarted.wait()
        for item in 1...5 { #expect(worker.submit(item)) }
        recorder.gate.signal()
        worker.stop(.drain)
        #expect(worker.join())
        #expect(recorder.batches.withLock { $0 } == [[0], [1, 2], [3, 4], [5]])
    }

    @Test func aFullQueueRefusesAndKeepsWhatItHas() {
        let recorder = Recorder()
        let worker = BatchWorker<Int>(name: "test-batch", maxQueue: 2)
        worker.start { recorder.process($0) }
        #expect(worker.submit(0))
        recorder.firstStarted.wait()  // 0 is out of the queue, being processed
        #expect(worker.submit(1))
        #expect(worker.submit(2))
        #expect(!worker.submit(3))
        recorder.gate.signal()
        worker.stop(.drain)
        #expect(worker.join())
        #expect(recorder.batches.withLock { $0 } == [[0], [1, 2]])
    }

    @Test func discardDropsWhatWaitsAndStopRefusesMore() {
        let recorder = Recorder()
        let worker = BatchWorker<Int>(name: "test-batch")
        worker.start { recorder.process($0) }
        #expect(worker.submit(0))
        recorder.firstStarted.wait()
        #expect(worker.submit(1))
        worker.stop(.discard)
        #expect(!worker.submit(2))
        recorder.gate.signal()
        #expect(worker.join())
        #expect(recorder.batches.withLock { $0 } == [[0]])
    }

    @Test func severalThreadsRunEveryItemOnce() {
        let seen = Mutex<[Int]>([])
        let worker = BatchWorker<Int>(name: "test-batch", threads: 4, maxBatch: 1)
        worker.start { batch in seen.withLock { $0.append(contentsOf: batch) } }
        for item in 0..<1000 { #expect(worker.submit(item)) }
        worker.stop(.drain)
        #expect(worker.join())
        #expect(seen.withLock { $0.sorted() } == Array(0..<1000))
    }

    @Test func anIdleWorkerStopsAtOnce() {
        let worker = BatchWorker<Int>(name: "test-batch", threads: 2)
        worker.start { _ in }
        worker.stop()
        #expect(worker.join(timeout: .seconds(5)))
    }
}
