import Foundation
import PostgresStore
import Store
import Synchronization
import TestSupport
import Testing
import Webinar

/// Every node runs an offer-expiry timer: on one PostgreSQL database, two nodes letting the same offers
/// lapse at the same moment must pass each seat on once, never twice, and lose none.
@Suite("PostgresStore: offers expire once across nodes", .enabled(if: TestDatabase.serverURL != nil))
struct PostgresOfferExpiryTests {
    @Test func twoNodesExpiringTwentyOffersAtOncePassEachSeatOnOnce() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let nodes = [try PostgresStore(url: database.url), try PostgresStore(url: database.url)]
        defer { nodes.forEach { $0.close() } }
        _ = try nodes[0].createEvent(Fixture.newEvent(capacity: 20), hostKeyHash: "h", now: Fixture.now)
        let people = try Fixture.register(nodes[0], count: 60)
        for person in people.prefix(20) { _ = try nodes[0].cancel(code: person.issuedCode, now: Fixture.now) }
        #expect(try nodes[0].event(slug: "launch")?.offersOpen == 20)

        // Two days on, every offer has lapsed; 4 threads on each node expire them at once.
        let later = Fixture.now + 2 * 86_400
        let promoted = Mutex<[Registration]>([])
        let failures = Mutex<[String]>([])
        let done = DispatchGroup()
        for node in nodes {
            for _ in 0..<4 {
                done.enter()
                Thread {
                    defer { done.leave() }
                    do {
                        let passed = try node.expireOffers(now: later)
                        promoted.withLock { $0 += passed }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }.start()
            }
        }
        done.wait()

        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let passed = promoted.withLock { $0 }
        #expect(passed.count == 20, "each lapsed seat passed on exactly once")
        #expect(Set(passed.map(\.id)) == Set(people[40..<60].map(\.id)), "to the next twenty waiting, once each")
        #expect(passed.allSatisfy { $0.status == .offered && $0.offerExpiresAt == later + 86_400 })
        let event = try #require(try nodes[1].event(slug: "launch"))
        #expect([event.ticketsIssued, event.offersOpen, event.waitlistLength] as [Int] == [0, 20, 0])
        let statuses = try nodes[1].registrations(slug: "launch").map(\.status)
        #expect(statuses.filter { $0 == RegistrationStatus.cancelled }.count == 40)
        #expect(statuses.filter { $0 == RegistrationStatus.offered }.count == 20)
        let offerMails = try nodes[1].mailLog(slug: "launch").filter { $0.kind == .offered }
        #expect(offerMails.count == 40, "one offer mail per offer: 20 on cancelling, 20 on expiry")
        #expect(Set(offerMails.map(\.registrationId)).count == 40)
        let lapsedMails = try nodes[1].mailLog(slug: "launch").filter { $0.kind == .offerExpired }
        #expect(
            Set(lapsedMails.map(\.registrationId)) == Set(people[20..<40].map(\.id)) && lapsedMails.count == 20,
            "each lapsed offer told once")
        #expect(try nodes[0].expireOffers(now: later).isEmpty, "nothing lapses twice")
    }
}
