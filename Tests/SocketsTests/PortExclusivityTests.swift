import Foundation
import Logging
import Sockets
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Answers each connection with the index of the loop that accepted it, then closes.
private final class LoopIndexHandler: ConnectionHandler {
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        connection.write(Array("\(connection.loop.index)".utf8))
        connection.close(mode: .afterFlush)
    }

    func connectionDeadlinePassed(_ connection: Connection) {}
    func connectionDidClose(_ connection: Connection) {}
}

/// One SO_REUSEPORT listener per loop is the fast path, but the port stays ours: a second group (a
/// second `serve`) cannot bind it, and a foreign SO_REUSEPORT socket that binds it anyway never
/// gets a connection.
@Suite struct PortExclusivityTests {
    static func group(threads: Int = 2) throws -> EventLoopGroup {
        var logger = Logger(label: "port-test")
        logger.logLevel = .warning
        return try EventLoopGroup(threads: threads, logger: logger)
    }

    static func listen(_ group: EventLoopGroup, host: String = "127.0.0.1", port: Int) throws -> Int {
        try group.bind(host: host, port: port) { _ in LoopIndexHandler() }
    }

    /// Connects, sends a byte and returns the loop index the server answered with ("" when nothing
    /// answered within a second: the connection landed on a socket that never accepts).
    static func askLoop(port: Int, host: String = "127.0.0.1") throws -> String {
        let address = try SocketAddress(numericHost: host, port: port)
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard address.withSockaddr({ connect(fd, $0, $1) }) == 0 else {
            throw IOError(errnoCode: errno, function: "connect")
        }
        _ = send(fd, "x", 1, Int32(MSG_NOSIGNAL))
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
    }

    /// A listening socket as another program would open it: SO_REUSEADDR and SO_REUSEPORT, no probe.
    static func foreignReusePortListener(port: Int, host: String = "127.0.0.1") throws -> Int32 {
        let address = try SocketAddress(numericHost: host, port: port)
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        guard address.withSockaddr({ Glibc.bind(fd, $0, $1) }) == 0, Glibc.listen(fd, 128) == 0 else {
            let error = IOError(errnoCode: errno, function: "bind")
            close(fd)
            throw error
        }
        return fd
    }

    @Test(arguments: ["127.0.0.1", "::"])
    func aSecondGroupOnTheSamePortIsRefused(host: String) throws {
        let first = try Self.group()
        let port = try Self.listen(first, host: host, port: 0)
        first.start()
        defer { first.shutdown(gracePeriod: .seconds(1)) }

        let second = try Self.group()
        defer { second.shutdown(gracePeriod: .seconds(1)) }
        #expect {
            _ = try Self.listen(second, host: host, port: port)
        } throws: { error in
            (error as? IOError)?.errnoCode == EADDRINUSE
        }
        #expect(try Self.askLoop(port: port) != "", "the first group still serves")
    }

    @Test func aPortHeldByAnotherProgramIsRefused() throws {
        // A plain listener (no SO_REUSEPORT), as most programs open one.
        let other = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(other) }
        let address = try SocketAddress(numericHost: "127.0.0.1", port: 0)
        #expect(address.withSockaddr { Glibc.bind(other, $0, $1) } == 0 && Glibc.listen(other, 16) == 0)
        var storage = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(other, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: storage.sin_port))

        let group = try Self.group()
        defer { group.shutdown(gracePeriod: .seconds(1)) }
        #expect {
            _ = try Self.listen(group, port: port)
        } throws: { error in
            (error as? IOError)?.errnoCode == EADDRINUSE
        }
    }

    @Test func aForeignReusePortSocketBoundLaterNeverGetsAConnection() throws {
        let group = try Self.group()
        let port = try Self.listen(group, port: 0)
        group.start()
        defer { group.shutdown(gracePeriod: .seconds(1)) }
        let foreign = try Self.foreignReusePortListener(port: port)
        defer { close(foreign) }

        var answers: [String: Int] = [:]
        for _ in 0..<200 { answers[try Self.askLoop(port: port), default: 0] += 1 }
        #expect(answers[""] == nil, "every connection reached one of our loops: \(answers)")
        #expect(accept(foreign, nil, nil) == -1 && errno == EAGAIN, "nothing waits in the foreign socket's queue")
        // Still the fast path: both loops take a fair share (binomial, 200 draws: < 50 is 1 in 10^13).
        #expect((answers["0"] ?? 0) >= 50 && (answers["1"] ?? 0) >= 50, "\(answers)")
    }

    @Test func dualStackConnectionsOfBothFamiliesReachOnlyOurLoops() throws {
        let group = try Self.group()
        let port = try Self.listen(group, host: "::", port: 0)
        group.start()
        defer { group.shutdown(gracePeriod: .seconds(1)) }
        let foreign = try Self.foreignReusePortListener(port: port, host: "::")
        defer { close(foreign) }

        var answers: [String: Int] = [:]
        for host in ["127.0.0.1", "::1"] {
            for _ in 0..<100 { answers[try Self.askLoop(port: port, host: host), default: 0] += 1 }
        }
        #expect(answers[""] == nil, "\(answers)")
        #expect(accept(foreign, nil, nil) == -1 && errno == EAGAIN)
        #expect((answers["0"] ?? 0) >= 50 && (answers["1"] ?? 0) >= 50, "\(answers)")
    }

    @Test func thePortIsFreeAgainAfterShutdown() throws {
        let first = try Self.group()
        let port = try Self.listen(first, port: 0)
        first.start()
        #expect(try Self.askLoop(port: port) != "")
        first.shutdown(gracePeriod: .seconds(1))

        let second = try Self.group()
        #expect(try Self.listen(second, port: port) == port, "a restart on the same port works")
        second.start()
        defer { second.shutdown(gracePeriod: .seconds(1)) }
        #expect(try Self.askLoop(port: port) != "")
    }
}
