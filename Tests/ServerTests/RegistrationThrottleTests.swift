import Foundation
import ServerTesting
import Testing

@testable import BackchannelServer

/// Issue 13: a script cannot take every seat. Per client address at most `registration.rate.limit`
/// registrations per window (429 `rate_limited` with `Retry-After`); other addresses are served; a
/// forged `X-Forwarded-For` from an untrusted peer changes nothing; the host key and the admin token
/// are not throttled.
@Suite struct RegistrationThrottleTests {
    @Test func aThousandRegistrationsFromOneAddressGetTenSeatsAndOthersAreServed() throws {
        let server = try TestServer {
            $0.registrationRateLimit = 10
            $0.registrationRateWindowSeconds = 60
        }
        defer { server.stop() }
        let admin = try APIClient(port: server.port)
        let hostKey = try admin.createEvent(slug: "rush", capacity: 100)

        let bot = try APIClient(port: server.port, source: "127.0.0.21")
        var statuses: [Int: Int] = [:]
        var retryAfter: [String] = []
        for index in 0..<1000 {
            // Forged: this peer is no trusted proxy, so the header names nobody.
            let response = try bot.request(
                "POST", "/api/events/rush/registrations", json: ["name": "Bot \(index)", "email": "bot\(index)@example.com"],
                headers: ["X-Forwarded-For": "198.51.100.\(index % 250)"].map { "\($0): \($1)" })
            statuses[response.status, default: 0] += 1
            if response.status == 429 {
                retryAfter.append(response.header("Retry-After") ?? "")
                if index == 999 { #expect(try response.json()["error"].map { "\($0)" }?.contains("rate_limited") == true) }
            }
        }
        #expect(statuses == [201: 10, 429: 990])
        #expect(retryAfter.allSatisfy { (Int($0) ?? 0) >= 1 && (Int($0) ?? 0) <= 60 })
        #expect(try admin.event("rush").int("ticketsIssued") == 10, "the script took 10 seats, not 100")

        // Another address is served; so are the host key and the admin token from the throttled one.
        let person = try APIClient(port: server.port, source: "127.0.0.22")
        #expect(try person.register(slug: "rush", name: "Ada", email: "ada@example.com").status == 201)
        let viaHost = try bot.request(
            "POST", "/api/events/rush/registrations", json: ["name": "Sim", "email": "sim@example.com"], token: hostKey)
        #expect(viaHost.status == 201)
        let viaAdmin = try bot.request(
            "POST", "/api/events/rush/registrations", json: ["name": "Sim 2", "email": "sim2@example.com"],
            token: APIClient.adminToken)
        #expect(viaAdmin.status == 201)
        // A wrong key is no way around it.
        let wrong = try bot.request(
            "POST", "/api/events/rush/registrations", json: ["name": "Sim 3", "email": "sim3@example.com"], token: "bch_host_nope")
        #expect(wrong.status == 403)
        // Ticket-link requests have a table of their own, with the same limit.
        let resends = try (0..<12).map { index in
            try bot.request("POST", "/api/registrations/resend", json: ["event": "rush", "email": "bot\(index)@example.com"]).status
        }
        #expect(resends == Array(repeating: 202, count: 10) + [429, 429])
    }

    @Test func behindATrustedProxyTheForwardedAddressIsLimited() throws {
        let server = try TestServer {
            $0.registrationRateLimit = 2
            $0.trustedProxies = ["127.0.0.31/32"]
        }
        defer { server.stop() }
        let admin = try APIClient(port: server.port)
        _ = try admin.createEvent(slug: "proxied", capacity: 100)
        let proxy = try APIClient(port: server.port, source: "127.0.0.31")
        func register(_ index: Int, from client: String) throws -> Int {
            try proxy.request(
                "POST", "/api/events/proxied/registrations", json: ["name": "P \(index)", "email": "p\(index)@example.com"],
                headers: ["X-Forwarded-For: 10.9.9.9, \(client)"]
            ).status
        }
        // Two clients behind one proxy: each has its own limit (the client-written 10.9.9.9 is ignored).
        #expect(try (0..<3).map { try register($0, from: "203.0.113.1") } == [201, 201, 429])
        #expect(try (3..<6).map { try register($0, from: "203.0.113.2") } == [201, 201, 429])
    }

    @Test func theThrottleCountsPerAddressWindowAndStaysBounded() {
        let throttle = RegistrationThrottle(limit: 2, windowSeconds: 60)
        #expect(throttle.admit(client: "192.0.2.1", now: 1000) == nil)
        #expect(throttle.admit(client: "192.0.2.1", now: 2000) == nil)
        #expect(throttle.admit(client: "192.0.2.1", now: 3000) == 58)
        #expect(throttle.admit(client: "2001:db8::1", now: 3000) == nil)
        #expect(throttle.admit(client: "2001:db8::2", now: 3000) == nil, "one /64 is one address")
        #expect(throttle.admit(client: "2001:db8::3", now: 3000) != nil)
        #expect(throttle.admit(client: "192.0.2.1", now: 61_000) == nil, "a new window")
        for index in 0..<(RegistrationThrottle.maxAddresses + 50) {
            _ = throttle.admit(client: "10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)", now: 62_000)
        }
        #expect(throttle.trackedAddresses <= RegistrationThrottle.maxAddresses)
    }

    @Test func onlyATrustedPeersForwardedForCounts() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8", "2001:db8::/32"])
        #expect(proxies.client(peer: "192.0.2.7", forwardedFor: "203.0.113.9") == "192.0.2.7")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: "203.0.113.9") == "203.0.113.9")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: "1.1.1.1, 203.0.113.9, 10.0.0.5") == "203.0.113.9")
        #expect(proxies.client(peer: "::ffff:10.1.2.3", forwardedFor: "203.0.113.9") == "203.0.113.9")
        #expect(proxies.client(peer: "2001:db8::1", forwardedFor: "garbage") == "2001:db8::1")
        #expect(proxies.client(peer: "10.1.2.3", forwardedFor: nil) == "10.1.2.3")
        #expect(throws: ConfigurationError.self) { try TrustedProxies(["10.0.0.0/33"]) }
        #expect(throws: ConfigurationError.self) { try TrustedProxies(["proxy.example.org"]) }
        #expect(TrustedProxies.none.client(peer: "10.1.2.3", forwardedFor: "203.0.113.9") == "10.1.2.3")
    }
}
