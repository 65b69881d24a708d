import Foundation
import Logging
import ServerTesting
import Sockets
import TestSupport
import Testing

/// Records every deadline call with the time it came, and sets the deadline a client asks for:
/// `set N` (milliseconds), `clear`.
private final class DeadlineHandler: ConnectionHandler {
    let fired: Shared<[ContinuousClock.Instant]>

    init(fired: Shared<[ContinuousClock.Instant]>) { self.fired = fired }

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            switch parts.first {
            case "set": connection.setDeadline(milliseconds: Int(parts[1]) ?? 0)
            case "clear": connection.clearDeadline()
            default: break
            }
            connection.write(Array("ok\n".utf8))
        }
    }

    func connectionDeadlinePassed(_ connection: Connection) {
        self.fired.update { $0.append(.now) }
        connection.write(Array("deadline\n".utf8))
    }

    func connectionDidClose(_ connection: Connection) {}
}

private final class Silent: ConnectionHandler {
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {}
    func connectionDeadlinePassed(_ connection: Connection) {}
    func connectionDidClose(_ connection: Connection) {}
}

/// `EventLoop`'s task queue (`execute` from any thread) and its coarse timers (connection
/// deadlines, checked by the sweep), on a real loop thread with loopback clients.
@Suite(.serialized) struct EventLoopTests {
    private static func group(threads: Int = 1) throws -> EventLoopGroup {
        var logger = Logger(label: "event-loop-test")
        logger.logLevel = .warning
        return try EventLoopGroup(threads: threads, logger: logger)
    }

    @Test func tasksFromManyThreadsRunOnTheLoopThreadEachInItsOrder() throws {
        let loops = try Self.group()
        loops.start()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let loop = loops.loops[0]
        let ran = Shared<[(thread: Int, sequence: Int, onLoop: Bool)]>([])
        let senders = 4
        let perSender = 500
        DispatchQueue.concurrentPerform(iterations: senders) { thread in
            for sequence in 0..<perSender {
                loop.execute { ran.update { $0.append((thread, sequence, loop.inEventLoop)) } }
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ran.value.count < senders * perSender && ContinuousClock.now < deadline { usleep(5_000) }
        let tasks = ran.value
        #expect(tasks.count == senders * perSender)
        #expect(tasks.filter { !$0.onLoop }.isEmpty, "every task runs on the loop's own thread")
        for thread in 0..<senders {
            #expect(tasks.filter { $0.thread == thread }.map(\.sequence) == Array(0..<perSender), "sender \(thread)")
        }
        #expect(!loop.inEventLoop, "the test thread is not the loop")
    }

    @Test func aTaskQueuedFromATaskRunsToo() throws {
        let loops = try Self.group()
        loops.start()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let loop = loops.loops[0]
        let order = Shared<[String]>([])
        loop.execute {
            order.update { $0.append("outer") }
            loop.execute { order.update { $0.append("inner") } }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while order.value.count < 2 && ContinuousClock.now < deadline { usleep(5_000) }
        #expect(order.value == ["outer", "inner"])
    }

    @Test func aDeadlineFiresOnceNotBeforeItsTime() throws {
        let loops = try Self.group()
        let fired = Shared<[ContinuousClock.Instant]>([])
        let port = try loops.bind(host: "127.0.0.1", port: 0) { _ in DeadlineHandler(fired: fired) }
        loops.start()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: port)
        let start = ContinuousClock.now
        client.send("set 700\n")
        #expect(String(decoding: try client.receive(count: 12), as: UTF8.self) == "ok\ndeadline\n")
        let calls = fired.value
        #expect(calls.count == 1)
        #expect(calls.first.map { $0 - start >= .milliseconds(700) } == true, "not before the deadline")
        // No second call: a passed deadline is cleared.
        client.send("set 600000\n")
        #expect(String(decoding: try client.receive(count: 3), as: UTF8.self) == "ok\n")
        usleep(1_200_000)
        #expect(fired.value.count == 1)
    }

    @Test func aClearedOrReplacedDeadlineDoesNotFire() throws {
        let loops = try Self.group()
        let fired = Shared<[ContinuousClock.Instant]>([])
        let port = try loops.bind(host: "127.0.0.1", port: 0) { _ in DeadlineHandler(fired: fired) }
        loops.start()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let cleared = try TestSocket(port: port)
        cleared.send("set 300\nclear\n")
        let replaced = try TestSocket(port: port)
        replaced.send("set 300\nset 600000\n")
        #expect(String(decoding: try cleared.receive(count: 6), as: UTF8.self) == "ok\nok\n")
        #expect(String(decoding: try replaced.receive(count: 6), as: UTF8.self) == "ok\nok\n")
        usleep(1_500_000)  // three sweeps past the first deadline
        #expect(fired.value.count == 0)
    }

    @Test func connectionsAreCountedOnTheirLoop() throws {
        let loops = try Self.group()
        let port = try loops.bind(host: "127.0.0.1", port: 0) { _ in Silent() }
        loops.start()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        var clients = try (0..<3).map { _ in try TestSocket(port: port) }
        func count() -> Int {
            let seen = Shared(-1)
            loops.loops[0].execute { seen.update { $0 = loops.loops[0].connectionCount } }
            let deadline = ContinuousClock.now + .seconds(5)
            while seen.value < 0 && ContinuousClock.now < deadline { usleep(5_000) }
            return seen.value
        }
        var waited = ContinuousClock.now + .seconds(5)
        while count() != 3 && ContinuousClock.now < waited { usleep(20_000) }
        #expect(count() == 3)
        clients.removeAll()
        waited = ContinuousClock.now + .seconds(5)
        while count() != 0 && ContinuousClock.now < waited { usleep(20_000) }
        #expect(count() == 0)
    }
}
