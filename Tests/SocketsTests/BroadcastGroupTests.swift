import Foundation
import Logging
import Sockets
import Synchronization
import Testing

/// Joins the loop's one broadcast group on connect. Reads commands of one line each:
/// `pub X` sends `X;` to the group; `mix X` sends `X1;` to the group, writes `P;` to itself, sends
/// `X2;` to the group, all in one turn; `leave` writes `bye;` and leaves the group.
private final class GroupHandler: ConnectionHandler {
    let group: BroadcastGroup
    let groups: Groups
    /// An unfinished line from the last read.
    var partial = ""

    init(connection: Connection, groups: Groups) {
        self.group = groups.group(for: connection.loop)
        self.groups = groups
        self.group.add(connection)
    }

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        let text = self.partial + String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.partial = String(lines.removeLast())
        for line in lines {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            switch parts.first {
            case "pub": self.group.send(ByteChunk(Array("\(parts[1]);".utf8)))
            case "mix":
                self.group.send(ByteChunk(Array("\(parts[1])1;".utf8)))
                connection.write(Array("P;".utf8))
                self.group.send(ByteChunk(Array("\(parts[1])2;".utf8)))
            case "leave":
                connection.write(Array("bye;".utf8))
                connection.leaveBroadcastGroup()
            default: break
            }
        }
    }

    func connectionBacklogLimitReached(_ connection: Connection) {
        self.groups.limitReached.withLock { $0 += 1 }
        connection.close(mode: .immediately)
    }

    func connectionDeadlinePassed(_ connection: Connection) {}
    func connectionDidClose(_ connection: Connection) {}
}

/// One group per loop, made on the loop's thread when its first member arrives.
private final class Groups: @unchecked Sendable {
    // Safe: `groups` is touched under `lock` only, and each group only on its loop.
    private let lock = Mutex<Void>(())
    private var groups: [ObjectIdentifier: BroadcastGroup] = [:]
    let limitReached = Mutex<Int>(0)

    func group(for loop: EventLoop) -> BroadcastGroup {
        self.lock.withLock { _ in
            if let group = self.groups[ObjectIdentifier(loop)] { return group }
            let group = BroadcastGroup(loop: loop)
            self.groups[ObjectIdentifier(loop)] = group
            return group
        }
    }
}

/// `BroadcastGroup` over loopback: every member gets every frame once and in order, a member's own
/// writes keep their place among the group's frames, leaving loses nothing, and a reader too slow
/// for its bound is reported to its handler while the others carry on.
@Suite struct BroadcastGroupTests {
    private func server(maxOutboundBytes: Int = 4 << 20) throws -> (EventLoopGroup, Int, Groups) {
        var logger = Logger(label: "group-test")
        logger.logLevel = .warning
        let loops = try EventLoopGroup(threads: 1, maxOutboundBytes: maxOutboundBytes, logger: logger)
        let groups = Groups()
        let port = try loops.bind(host: "127.0.0.1", port: 0) { connection in
            GroupHandler(connection: connection, groups: groups)
        }
        loops.start()
        return (loops, port, groups)
    }

    /// Reads until `expected` bytes arrived (or the timeout), as text.
    private func read(_ stream: BlockingStream, count expected: Int) throws -> String {
        var bytes: [UInt8] = []
        while bytes.count < expected {
            bytes += try stream.read(timeout: .seconds(5))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func everyMemberGetsEveryFrameInOrder() throws {
        let (loops, port, _) = try self.server()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let members = try (0..<20).map { _ in try BlockingStream(host: "127.0.0.1", port: port, timeout: .seconds(5)) }
        Thread.sleep(forTimeInterval: 0.2)  // every member has joined
        var expected = ""
        for index in 0..<50 {  // one publisher: frames from several connections have no order between them
            try members[0].write(Array("pub m\(index)\n".utf8), timeout: .seconds(5))
            expected += "m\(index);"
        }
        for member in members {
            #expect(try self.read(member, count: expected.utf8.count) == expected)
        }
    }

    @Test func aMembersOwnWriteKeepsItsPlaceAmongTheGroupsFrames() throws {
        let (loops, port, _) = try self.server()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let writer = try BlockingStream(host: "127.0.0.1", port: port, timeout: .seconds(5))
        let other = try BlockingStream(host: "127.0.0.1", port: port, timeout: .seconds(5))
        Thread.sleep(forTimeInterval: 0.2)
        try writer.write(Array("mix a\n".utf8), timeout: .seconds(5))
        #expect(try self.read(writer, count: 8) == "a1;P;a2;", "the reply sits between the frames sent before and after it")
        #expect(try self.read(other, count: 6) == "a1;a2;")
    }

    @Test func leavingTakesTheTurnsFramesAndNothingAfter() throws {
        let (loops, port, _) = try self.server()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let leaver = try BlockingStream(host: "127.0.0.1", port: port, timeout: .seconds(5))
        let other = try BlockingStream(host: "127.0.0.1", port: port, timeout: .seconds(5))
        Thread.sleep(forTimeInterval: 0.2)
        try other.write(Array("pub before\n".utf8), timeout: .seconds(5))
        #expect(try self.read(leaver, count: 7) == "before;")
        try leaver.write(Array("leave\n".utf8), timeout: .seconds(5))
        #expect(try self.read(leaver, count: 4) == "bye;")
        try other.write(Array("pub after\n".utf8), timeout: .seconds(5))
        #expect(try self.read(other, count: 13) == "before;after;")
        #expect(throws: BlockingStream.Failure.self, "nothing reaches a connection that left") {
            _ = try leaver.read(timeout: .milliseconds(300))
        }
    }

    @Test func aReaderTooSlowForItsBoundIsReportedAndTheOthersCarryOn() throws {
        let (loops, port, groups) = try self.server(maxOutboundBytes: 64 << 10)
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let sleeper = try BlockingStream(host: "127.0.0.1", port: port, timeout: .seconds(5))  // never reads
        let reader = try BlockingStream(host: "127.0.0.1", port: port, timeout: .seconds(5))
        Thread.sleep(forTimeInterval: 0.2)
        let frame = String(repeating: "x", count: 7999)
        var received = 0
        let total = 3000  // 24 MB: far past the kernel's buffers and the 64 KiB bound
        for index in 0..<total {
            try reader.write(Array("pub \(frame)\n".utf8), timeout: .seconds(5))
            if index % 10 == 9 {
                while received < (index + 1) * 8000 {
                    do { received += try reader.read(timeout: .seconds(5)).count } catch {
                        Issue.record("after \(index + 1) frames the reader had \(received) bytes: \(error)")
                        return
                    }
                }
            }
        }
        while received < total * 8000 { received += try reader.read(timeout: .seconds(5)).count }
        #expect(received == total * 8000, "the reader got every frame")
        #expect(groups.limitReached.withLock { $0 } == 1, "the sleeper was reported once")
        _ = sleeper
    }
}
