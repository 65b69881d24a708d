import Sockets
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `SocketAddress`: numeric parsing (never a lookup), formatting back, ports, and the loopback rule
/// every "is this on this machine" check relies on.
@Suite struct SocketAddressTests {
    @Test(arguments: [("127.0.0.1", AF_INET), ("10.1.2.3", AF_INET), ("::1", AF_INET6), ("2001:db8::7", AF_INET6)])
    func parsesNumericAddressesAndFormatsThemBack(host: String, family: Int32) throws {
        let address = try SocketAddress(numericHost: host, port: 8443)
        #expect(address.family == family)
        #expect(address.port == 8443)
        #expect(address.numericHost == host)
    }

    @Test func writesIPv6InItsShortestForm() throws {
        #expect(try SocketAddress(numericHost: "2001:0db8:0000:0000:0000:0000:0000:0007", port: 1).numericHost == "2001:db8::7")
        #expect(try SocketAddress(numericHost: "::ffff:127.0.0.1", port: 1).numericHost == "::ffff:127.0.0.1")
    }

    @Test(arguments: ["localhost", "example.org", "", "127.0.0.1:80", "[::1]", "256.1.1.1", "1.2.3.4.5", ":::"])
    func refusesWhatIsNotANumericAddress(text: String) {
        #expect(throws: IOError.self) { try SocketAddress(numericHost: text, port: 80) }
    }

    @Test func portsAtTheEdges() throws {
        #expect(try SocketAddress(numericHost: "127.0.0.1", port: 0).port == 0)
        #expect(try SocketAddress(numericHost: "::1", port: 65535).port == 65535)
    }

    @Test func loopbackIsAll127AndColonColonOneAndTheirMappedForm() throws {
        for host in ["127.0.0.1", "127.255.254.9", "::1", "::ffff:127.0.0.2"] {
            #expect(try SocketAddress(numericHost: host, port: 0).isLoopback, "\(host)")
        }
        for host in ["128.0.0.1", "10.0.0.1", "0.0.0.0", "::", "::2", "::ffff:10.0.0.1", "fe80::1"] {
            #expect(try !SocketAddress(numericHost: host, port: 0).isLoopback, "\(host)")
        }
    }

    @Test func aCopiedSockaddrIsTheSameAddress() throws {
        let original = try SocketAddress(numericHost: "::1", port: 4321)
        let copy = original.withSockaddr { SocketAddress(copying: $0, length: $1) }
        #expect(copy.family == AF_INET6)
        #expect(copy.port == 4321)
        #expect(copy.numericHost == "::1")
    }

    @Test func lookUpGivesLocalhostAsLoopback() throws {
        let addresses = try SocketAddress.lookUp(host: "localhost", port: 80)
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0.isLoopback && $0.port == 80 }, "\(addresses.map(\.numericHost))")
    }
}
