import Testing

@testable import BackchannelServer

/// The delays of issue 14, item 13 as values: per address, growing, serialized, forgotten, bounded.
@Suite struct AuthPenaltiesTests {
    @Test func delaysGrowPerAddressAndStayWithinTheCap() {
        var penalties = AuthPenalties()
        var now: UInt64 = 1_000_000
        var delays: [UInt64] = []
        for _ in 0..<8 {
            let delay = penalties.failed(client: "203.0.113.7", now: now)
            delays.append(delay)
            now += delay  // the client waits for each answer
        }
        #expect(delays == [0, 500, 1000, 2000, 4000, 8000, 10_000, 10_000])
        #expect(penalties.failed(client: "198.51.100.1", now: now) == 0, "another address is not slowed")
    }

    @Test func parallelGuessesFromOneAddressQueueUp() {
        var penalties = AuthPenalties()
        let now: UInt64 = 5000
        let delays = (0..<4).map { _ in penalties.failed(client: "2001:db8:1:2::1", now: now) }
        #expect(delays == [0, 500, 1500, 3500], "each answer goes out after the one before")
        #expect(penalties.failed(client: "2001:db8:1:2:ffff::9", now: now) == 7500, "the same /64 is the same client")
        #expect(penalties.failed(client: "2001:db8:1:3::1", now: now) == 0, "another /64 is another client")
        var flood = AuthPenalties()
        let waits = (0..<100).map { _ in flood.failed(client: "203.0.113.9", now: now) }
        #expect(waits.max() == AuthPenalties.maxWaitMilliseconds)
    }

    @Test func aQuietAddressStartsOverAndTheTableIsBounded() {
        var penalties = AuthPenalties()
        for _ in 0..<5 { _ = penalties.failed(client: "203.0.113.7", now: 0) }
        #expect(penalties.failed(client: "203.0.113.7", now: AuthPenalties.forgetAfterMilliseconds + 60_000) == 0)
        var many = AuthPenalties()
        for index in 0..<(AuthPenalties.maxAddresses + 10) {
            _ = many.failed(client: "10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)", now: 1)
        }
        #expect(many.trackedAddresses <= AuthPenalties.maxAddresses)
        #expect(many.failed(client: "not an address", now: 1) == 0)
    }
}
