import Logging
import Synchronization
import Testing

@testable import Sockets

#if canImport(Glibc)
import Glibc
#endif

/// The caps themselves, without sockets: who is admitted, what is given back, what the log says.
/// (End to end, over loopback: ServerTests' ConnectionCapTests and DescriptorLimitTests.)
@Suite struct ConnectionAdmissionTests {
    private let logger = Logger(label: "test")

    private func key(_ text: String) throws -> PeerKey {
        let address = try SocketAddress(numericHost: text, port: 1)
        return try #require(address.withSockaddr { pointer, _ in PeerKey(pointer) })
    }

    @Test func peerKeysGroupIPv4MappedAndIPv6PerSlash64() throws {
        #expect(try self.key("10.0.0.7") == self.key("::ffff:10.0.0.7"))
        #expect(try self.key("10.0.0.7") != self.key("10.0.0.8"))
        #expect(try self.key("2001:db8:1:2::1") == self.key("2001:db8:1:2:ffff::9"), "one /64, one client")
        #expect(try self.key("2001:db8:1:2::1") != self.key("2001:db8:1:3::1"))
        #expect(try self.key("10.0.0.7").text == "10.0.0.7")
        #expect(try self.key("2001:db8:1:2::1").text == "2001:db8:1:2::/64")
    }

    @Test func defaultCapLeavesAReserveOfDescriptors() {
        #expect(ConnectionAdmission.Limits.defaultMaxConnections(descriptorLimit: 256) == 192)
        #expect(ConnectionAdmission.Limits.defaultMaxConnections(descriptorLimit: 1024) == 896)
        #expect(ConnectionAdmission.Limits.defaultMaxConnections(descriptorLimit: 65_536) == 64_512)
        #expect(ConnectionAdmission.Limits.defaultMaxConnections(descriptorLimit: 100) == 50)
    }

    @Test func totalAndPerAddressCapsRefuseAndGiveBack() throws {
        let stats = SocketStats()
        let admission = ConnectionAdmission(limits: .init(maxConnections: 4, maxPerAddress: 2), stats: stats)
        let a = try self.key("192.0.2.1")
        let b = try self.key("192.0.2.2")
        #expect(admission.admit(a, now: 1, logger: self.logger) == .admitted(slot: a))
        #expect(admission.admit(a, now: 1, logger: self.logger) == .admitted(slot: a))
        #expect(admission.admit(a, now: 1, logger: self.logger) == .refused, "a third from one address")
        admission.releaseSlot(a)  // one of them joined: it stays open but no longer counts for its address
        #expect(admission.admit(a, now: 1, logger: self.logger) == .admitted(slot: a))
        #expect(admission.admit(b, now: 1, logger: self.logger) == .admitted(slot: b))
        #expect(admission.openConnections == 4)
        #expect(admission.admit(b, now: 1, logger: self.logger) == .refused, "the total is reached")
        admission.closed(slot: b)
        #expect(admission.admit(nil, now: 1, logger: self.logger) == .admitted(slot: nil), "no address: total only")
        #expect(stats.connectionsRefused.load(ordering: .relaxed) == 2)
    }

    @Test func theReportIsOneLinePerIntervalWithCounts() throws {
        var report = AdmissionReport()
        let limits = ConnectionAdmission.Limits(maxConnections: 100, maxPerAddress: 8)
        report.overTotal += 1
        let firstLine = report.lineIfDue(now: 1_000, limits: limits)
        let first = try #require(firstLine)
        #expect(first.contains("refused 1 new connection(s): 100 were open") && first.contains("http.max.connections"))
        for _ in 0..<500 { report.overTotal += 1 }
        report.overAddress += 36
        report.lastAddress = try self.key("198.51.100.9")
        report.acceptFailures += 3
        report.lastErrno = EMFILE
        #expect(report.lineIfDue(now: 5_000, limits: limits) == nil, "within the interval: counted, not logged")
        let secondLine = report.lineIfDue(now: 11_000, limits: limits)
        let second = try #require(secondLine)
        #expect(second.contains("refused 500 new connection(s)"))
        #expect(second.contains("refused 36 new connection(s) from one address (last 198.51.100.9)"))
        #expect(second.contains("http.max.connections.per.address") && second.contains("accept failed 3 time(s)"))
        #expect(second.hasSuffix("in the last 10 s"))
        #expect(report.lineIfDue(now: 30_000, limits: limits) == nil, "nothing new, nothing to say")
    }
}
