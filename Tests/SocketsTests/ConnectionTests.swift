import Foundation
import Logging
import ServerTesting
import Sockets
import TestSupport
import Testing

/// Runs one-line commands from the client, all within the turn that reads them:
/// - `fill N`: writes N-byte chunks until the backlog bound refuses one, then one more ignoring
///   the bound, and reports `accepted A refused-at B forced F`;
/// - `discard`: queues three chunks, discards them, queues `kept`;
/// - `bulk N`: queues N bytes and asks to hear when they have gone; `drained` follows them;
/// - `drain N`: asks N times with nothing queued;
/// - `bye`: queues `bye` and closes after the flush.
private final class CommandHandler: ConnectionHandler {
    let drains: Shared<Int>

    init(drains: Shared<Int>) { self.drains = drains }

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            let argument = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            switch parts.first {
            case "fill":
                var accepted = 0
                // Bounded, so a bound that never refuses fails the test instead of hanging it.
                while accepted < 64 << 20, connection.write([UInt8](repeating: 0x61, count: argument)) { accepted += argument }
                let queued = connection.outboundBytes
                let forced = connection.write([UInt8](repeating: 0x62, count: argument), ignoringLimit: true)
                connection.discardQueuedWrites()
                connection.write(Array("accepted \(accepted) queued \(queued) forced \(forced)\n".utf8), ignoringLimit: true)
            case "discard":
                for text in ["one\n", "two\n", "three\n"] { connection.write(Array(text.utf8)) }
                connection.discardQueuedWrites()
                connection.write(Array("kept\n".utf8))
            case "bulk":
                connection.write([UInt8](repeating: 0x78, count: argument))
                connection.notifyWhenDrained()
            case "drain":
                for _ in 0..<argument { connection.notifyWhenDrained() }
            case "bye":
                connection.write(Array("bye\n".utf8))
                connection.close(mode: .afterFlush)
            default:
                break
            }
        }
    }

    func connectionDidDrain(_ connection: Connection) {
        self.drains.update { $0 += 1 }
        connection.write(Array("drained\n".utf8))
    }

    func connectionDeadlinePassed(_ connection: Connection) {}
    func connectionDidClose(_ connection: Connection) {}
}

/// `Connection`'s outbound side on a real loop and loopback sockets: the backlog bound, dropping
/// what has not started to go out, drain notifications, and closing after a flush.
@Suite(.serialized) struct ConnectionTests {
    private static func server(maxOutboundBytes: Int = 4 << 20) throws -> (EventLoopGroup, Int, Shared<Int>) {
        var logger = Logger(label: "connection-test")
        logger.logLevel = .warning
        let loops = try EventLoopGroup(threads: 1, maxOutboundBytes: maxOutboundBytes, logger: logger)
        let drains = Shared(0)
        let port = try loops.bind(host: "127.0.0.1", port: 0) { _ in CommandHandler(drains: drains) }
        loops.start()
        return (loops, port, drains)
    }

    private static func line(_ socket: TestSocket) throws -> String {
        while !socket.buffer.contains(10) {
            guard socket.fill() else { throw TestSocket.Failure(description: "no line: \(String(decoding: socket.buffer, as: UTF8.self))") }
        }
        guard let end = socket.buffer.firstIndex(of: 10) else { return "" }
        defer { socket.buffer.removeFirst(end + 1) }
        return String(decoding: socket.buffer[..<end], as: UTF8.self)
    }

    @Test func writesPastTheBacklogBoundAreRefusedUnlessForced() throws {
        let (loops, port, _) = try Self.server(maxOutboundBytes: 64 << 10)
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: port)
        client.send("fill 16384\n")
        // Four 16 KiB chunks fit the 64 KiB bound within one turn (nothing leaves before the flush).
        #expect(try Self.line(client) == "accepted 65536 queued 65536 forced true")
    }

    @Test func discardingDropsWhatHasNotStartedToGoOut() throws {
        let (loops, port, _) = try Self.server()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: port)
        client.send("discard\n")
        #expect(try Self.line(client) == "kept")
        client.send("bye\n")
        #expect(try Self.line(client) == "bye")
        #expect(client.buffer.isEmpty)
    }

    @Test func aDrainNotificationComesOnceAfterEveryQueuedByte() throws {
        let (loops, port, drains) = try Self.server()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: port)
        let size = 3 << 20  // more than the kernel takes at once on loopback
        client.send("bulk \(size)\n")
        let received = try client.receive(count: size + 8)
        #expect(received.count == size + 8)
        #expect(received.prefix(size).allSatisfy { $0 == 0x78 })
        #expect(String(decoding: received.suffix(8), as: UTF8.self) == "drained\n")
        #expect(drains.value == 1)
    }

    @Test func askingWithNothingQueuedIsAnsweredOnceInTheSameTurn() throws {
        let (loops, port, drains) = try Self.server()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: port)
        client.send("drain 1\n")
        #expect(try Self.line(client) == "drained")
        client.send("drain 3\n")  // three asks in one turn: one answer
        #expect(try Self.line(client) == "drained")
        client.send("bye\n")
        #expect(try Self.line(client) == "bye")
        #expect(drains.value == 2)
    }

    @Test func closingAfterTheFlushSendsWhatIsQueuedThenEOF() throws {
        let (loops, port, _) = try Self.server()
        defer { loops.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: port)
        client.send("bulk 200000\nbye\n")
        let received = try client.receive(count: 200_000 + 4)
        #expect(received.count == 200_004)
        #expect(String(decoding: received.suffix(4), as: UTF8.self) == "bye\n")
        #expect(client.waitForClose())
    }
}
