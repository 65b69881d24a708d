import TLS
import TestSupport
import Testing

@testable import Rehearsal

/// `--url` parsing and resolution for `backchannel rehearse`: schemes, default ports, host names,
/// and the loopback decision made on the resolved address.
@Suite struct RehearseTargetTests {
    @Test func httpDefaultsToPort80() throws {
        let target = try RehearseTarget.parse("http://127.0.0.1")
        #expect(target.port == 80)
        #expect(!target.isSecure)
        #expect(target.address == "127.0.0.1")
        #expect(target.hostHeader == "127.0.0.1:80")
    }

    @Test func httpsDefaultsToPort443AndIsSecure() throws {
        let target = try RehearseTarget.parse("https://127.0.0.1/")
        #expect(target.port == 443)
        #expect(target.isSecure)
        #expect(target.tls == nil, "the TLS context is made by the command, not by parsing")
    }

    @Test func explicitPortAndUppercaseScheme() throws {
        let target = try RehearseTarget.parse("HTTPS://127.0.0.1:8443")
        #expect(target.port == 8443)
        #expect(target.isSecure)
    }

    @Test func localhostResolvesToLoopbackAndKeepsItsName() throws {
        let target = try RehearseTarget.parse("https://localhost:8443")
        #expect(target.host == "localhost")
        #expect(target.address == "127.0.0.1")
        #expect(target.isLoopback)
        #expect(target.hostHeader == "localhost:8443")
    }

    @Test func aHostNameIsResolvedAndAnUnknownOneIsNot() throws {
        let address = try #require(RehearseTarget.resolve("localhost"))
        #expect(RehearseTarget.isLoopback(address), "\(address)")
        #expect(RehearseTarget.resolve("no-such-host.invalid") == nil)
    }

    @Test func anUnresolvableNameIsRefused() {
        #expect(throws: (any Error).self) { try RehearseTarget.parse("https://no-such-host.invalid:8443") }
    }

    @Test func otherSchemesAndPathsAreRefused() {
        #expect(throws: (any Error).self) { try RehearseTarget.parse("ftp://127.0.0.1:21") }
        #expect(throws: (any Error).self) { try RehearseTarget.parse("ws://127.0.0.1:8080") }
        #expect(throws: (any Error).self) { try RehearseTarget.parse("https://127.0.0.1:8443/api") }
        #expect(throws: (any Error).self) { try RehearseTarget.parse("127.0.0.1:8080") }
        #expect(throws: (any Error).self) { try RehearseTarget.parse("http://127.0.0.1:70000") }
    }

    @Test func ipv6LiteralsParseWithBrackets() throws {
        let target = try RehearseTarget.parse("https://[::1]:8443")
        #expect(target.host == "::1")
        #expect(target.address == "::1")
        #expect(target.isLoopback)
        #expect(target.hostHeader == "[::1]:8443")
    }

    @Test func loopbackIsDecidedOnTheAddress() {
        #expect(RehearseTarget.isLoopback("127.0.0.1"))
        #expect(RehearseTarget.isLoopback("127.255.0.9"))
        #expect(RehearseTarget.isLoopback("::1"))
        #expect(RehearseTarget.isLoopback("::ffff:127.0.0.1"))
        #expect(!RehearseTarget.isLoopback("192.0.2.1"))
        #expect(!RehearseTarget.isLoopback("10.0.0.1"))
        #expect(!RehearseTarget.isLoopback("::2"))
        #expect(!RehearseTarget.isLoopback("::ffff:192.0.2.1"))
        #expect(!RehearseTarget.isLoopback("localhost"), "names are resolved first, never trusted as such")
    }

    @Test func aRemoteTargetIsNotLoopback() throws {
        let target = try RehearseTarget.parse("https://192.0.2.1:8443")
        #expect(!target.isLoopback)
    }

    @Test func handshakeFailuresNameTheHostAndSuggestTheCAFile() {
        let message = RehearseTrust.handshakeFailure(
            host: "stage.example", TLSError("TLS handshake failed: certificate verify failed (self-signed certificate)"))
        #expect(message.hasPrefix("TLS handshake with stage.example failed: certificate verify failed (self-signed certificate)"))
        #expect(message.contains("--ca-file"))
        let other = RehearseTrust.handshakeFailure(host: "h", TLSError("TLS handshake failed: wrong version number"))
        #expect(other == "TLS handshake with h failed: wrong version number")
    }

    @Test func aMissingCAFileIsNamed() {
        #expect {
            _ = try RehearseTrust.context(caFile: "/nonexistent/ca.pem")
        } throws: { error in
            "\(error)".contains("/nonexistent/ca.pem")
        }
    }

    @Test func aCAFileLoads() throws {
        let certificate = try TestCertificate()
        let context = try RehearseTrust.context(caFile: certificate.certificateFile)
        #expect(context.verifiesPeer)
    }
}
