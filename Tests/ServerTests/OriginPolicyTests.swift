import Testing

@testable import BackchannelServer

/// The origin rule of issue 14, items 9 and 10, as a value: what counts as the server's own origin.
@Suite struct OriginPolicyTests {
    @Test(arguments: [
        ("https://Events.Example.org/", "https://events.example.org"), ("https://events.example.org:443/x?y", "https://events.example.org"),
        ("http://events.example.org:80", "http://events.example.org"), ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://[::1]:8080", "http://[::1]:8080"), ("https://a.example:8443", "https://a.example:8443"),
    ])
    func originsAreNormalized(text: String, origin: String) {
        #expect(OriginPolicy.origin(text) == origin)
    }

    @Test(arguments: ["null", "file:///tmp/x.html", "ftp://a.example", "https://", "", "chrome-extension://abc"])
    func whatIsNoOriginOfOurs(text: String) {
        #expect(OriginPolicy.origin(text) == nil)
    }

    @Test func theListenAddressIsTheOriginWithoutPublicURL() {
        var configuration = ServerConfiguration()
        configuration.host = "0.0.0.0"
        configuration.allowedOrigins = ["https://partner.example"]
        let policy = OriginPolicy(configuration: configuration)
        policy.listening(port: 8080)
        for origin in ["http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080", "https://partner.example"] {
            #expect(policy.allows(origin), "\(origin)")
        }
        for origin in ["http://localhost:8081", "https://127.0.0.1:8080", "http://192.168.1.5:8080", "null"] {
            #expect(!policy.allows(origin), "\(origin)")
        }
    }

    @Test func publicURLReplacesTheListenAddressAndTLSTakesOnlyHTTPS() {
        var configuration = ServerConfiguration()
        configuration.publicURL = "https://events.example.org"
        configuration.tlsCertificateFile = "cert.pem"
        configuration.tlsKeyFile = "key.pem"
        configuration.allowedOrigins = ["http://partner.example", "https://other.example"]
        let policy = OriginPolicy(configuration: configuration)
        policy.listening(port: 443)
        #expect(policy.allowed == ["https://events.example.org", "https://other.example"])
        #expect(policy.allows("https://events.example.org") && policy.allows("https://other.example"))
        #expect(!policy.allows("http://events.example.org") && !policy.allows("http://partner.example"))
        #expect(!policy.allows("https://localhost"))
    }
}
