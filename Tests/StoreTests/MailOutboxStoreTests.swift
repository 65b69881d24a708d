import Foundation
import PostgresStore
import Store
import Synchronization
import TestSupport
import Testing
import Webinar

/// The outbox rows each change writes in its own transaction, and how the sender drains them: the same
/// behaviour on every store.
@Suite("Store: mail outbox")
struct MailOutboxStoreTests {
    static func kinds(_ store: any WebinarStore, slug: String = "launch") throws -> [String] {
        try store.mailLog(slug: slug).map { "\($0.kind.rawValue):\($0.email)" }
    }

    /// Sends everything due, answering with `outcome`; returns what was delivered.
    @discardableResult
    static func drain(
        _ store: any WebinarStore, now: Date = Fixture.now,
        outcome: (OutboxMail) -> MailDelivery = {
            .sent(reply: "250 ok \($0.id)", at: Fixture.now)
        }
    ) throws -> [OutboxMail] {
        var delivered: [OutboxMail] = []
        while try store.deliverDueMail(
            now: now, limit: 2,
            { mail in
                delivered.append(mail)
                return outcome(mail)
            }) > 0
        {}
        return delivered
    }

    @Test(arguments: StoreKind.available)
    func registeringQueuesConfirmationOrWaitlistMailOnce(kind: StoreKind) throws {
        try kind.with { store in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1), hostKeyHash: "h", now: Fixture.now)
            try Fixture.register(store, count: 3)
            _ = try store.register(slug: "launch", name: "Again", email: "P1@example.com", now: Fixture.now)
            let log = try store.mailLog(slug: "launch")
            #expect(log.map(\.kind) == [.confirmed, .waitlisted, .waitlisted])
            #expect(log.map(\.email) == ["p0@example.com", "p1@example.com", "p2@example.com"])
            #expect(log.allSatisfy { $0.status == .pending && $0.attempts == 0 })
            let delivered = try Self.drain(store)
            #expect(delivered.map(\.position) == [nil, 1, 2])
            #expect(delivered.map(\.registration.name) == ["Person 0", "Person 1", "Person 2"])
            #expect(delivered.allSatisfy { $0.event.slug == "launch" && $0.scheduleSequence == 0 })
            #expect(try store.mailLog(slug: "launch").allSatisfy { $0.status == .sent && $0.reply?.hasPrefix("250 ok") == true })
            #expect(try store.hasDueMail(now: Fixture.now) == false)
            #expect(throws: WebinarError.eventNotFound) { try store.mailLog(slug: "nope") }
        }
    }

    @Test(arguments: StoreKind.available)
    func aFailedRequestInABatchQueuesNothing(kind: StoreKind) throws {
        try kind.with { store in
            _ = try store.createEvent(Fixture.newEvent(capacity: 5), hostKeyHash: "h", now: Fixture.now)
            let results = try store.registerBatch(
                [
                    RegistrationRequest(slug: "launch", name: "Ada", email: "ada@example.com"),
                    RegistrationRequest(slug: "nope", name: "Bob", email: "bob@example.com"),
                    RegistrationRequest(slug: "launch", name: "", email: "eve@example.com"),
                    RegistrationRequest(slug: "launch", name: "Ada again", email: "ada@example.com"),
                ], now: Fixture.now)
            #expect(results.map { (try? $0.get()) != nil } == [true, false, false, true])
            #expect(try Self.kinds(store) == ["confirmed:ada@example.com"])
        }
    }

    @Test(arguments: StoreKind.available)
    func cancellingQueuesTheCancellationAndThePromotion(kind: StoreKind) throws {
        try kind.with { store in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1, claimWindowMinutes: 0), hostKeyHash: "h", now: Fixture.now)
            let people = try Fixture.register(store, count: 3)
            try Self.drain(store)
            _ = try store.cancel(code: people[0].issuedCode, now: Fixture.now)
            _ = try store.cancel(code: people[0].issuedCode, now: Fixture.now)  // twice: nothing more
            _ = try store.cancel(code: people[2].issuedCode, now: Fixture.now)
            #expect(
                try Self.kinds(store).suffix(3) == [
                    "cancelled:p0@example.com", "promoted:p1@example.com", "waitlist_left:p2@example.com",
                ])
            let delivered = try Self.drain(store)
            #expect(delivered.map(\.kind) == [.cancelled, .promoted, .waitlistLeft])
            #expect(delivered[1].registration.status == .ticketed)
        }
    }

    @Test(arguments: StoreKind.available)
    func raisingCapacityPromotesWithMailAndMovingTheEventReinvitesTicketHolders(kind: StoreKind) throws {
        try kind.with { store in
            _ = try store.createEvent(Fixture.newEvent(capacity: 1, claimWindowMinutes: 0), hostKeyHash: "h", now: Fixture.now)
            try Fixture.register(store, count: 3)
            try Self.drain(store)
            _ = try store.updateEvent(slug: "launch", patch: EventPatch(title: "Renamed"), now: Fixture.now)
            #expect(try store.hasDueMail(now: Fixture.now) == false, "a title change mails nobody")
            _ = try store.updateEvent(
                slug: "launch", patch: EventPatch(startsAt: Fixture.starts + 600, endsAt: .some(Fixture.starts + 4200), capacity: 2),
                now: Fixture.now)
            let delivered = try Self.drain(store)
            #expect(
                delivered.map { "\($0.kind.rawValue):\($0.registration.email)" } == [
                    "rescheduled:p0@example.com", "promoted:p1@example.com",
                ])
            #expect(delivered.allSatisfy { $0.scheduleSequence == 1 && $0.event.startsAt == Fixture.starts + 600 })
            _ = try store.updateEvent(slug: "launch", patch: EventPatch(endsAt: .some(nil)), now: Fixture.now)
            #expect(try Self.drain(store).map(\.scheduleSequence) == [2, 2])
        }
    }

    @Test(arguments: StoreKind.available)
    func retriesWaitTheirTurnFailuresStayUntilRetriedAndStatsCount(kind: StoreKind) throws {
        try kind.with { store in
            _ = try store.createEvent(Fixture.newEvent(capacity: 5), hostKeyHash: "h", now: Fixture.now)
            try Fixture.register(store, count: 3)
            let later = Fixture.now + 60
            let first = try Self.drain(store) { mail in
                switch mail.registration.email {
                case "p0@example.com": .retry(reply: "451 try later", at: Fixture.now, next: later)
                case "p1@example.com": .failed(reply: "550 no such user", at: Fixture.now)
                default: .sent(reply: "250 ok", at: Fixture.now)
                }
            }
            #expect(first.count == 3)
            #expect(try store.mailStats() == MailStats(pending: 1, failed: 1, oldestPending: Fixture.now))
            #expect(try store.hasDueMail(now: Fixture.now) == false)
            #expect(try store.hasDueMail(now: later))
            let log = try store.mailLog(slug: "launch")
            #expect(log.map(\.status) == [.pending, .failed, .sent])
            #expect(log[0].attempts == 1 && log[0].reply == "451 try later" && log[0].nextAttemptAt == later)
            #expect(log[1].reply == "550 no such user" && log[1].finishedAt == Fixture.now)
            let retried = try Self.drain(store, now: later)
            #expect(retried.map(\.attempts) == [1])
            #expect(try store.retryFailedMail(slug: "launch", now: later) == 1)
            #expect(try store.retryFailedMail(slug: nil, now: later) == 0)
            #expect(try Self.drain(store, now: later).map(\.registration.email) == ["p1@example.com"])
            #expect(try store.mailStats() == MailStats(pending: 0, failed: 0, oldestPending: nil))
            #expect(throws: WebinarError.eventNotFound) { try store.retryFailedMail(slug: "nope", now: later) }
        }
    }

    @Test(arguments: StoreKind.available)
    func remindersGoToTicketHoldersOncePerStartTime(kind: StoreKind) throws {
        try kind.with { store in
            _ = try store.createEvent(Fixture.newEvent(capacity: 2), hostKeyHash: "h", now: Fixture.now)
            try Fixture.register(store, count: 3)
            try Self.drain(store)
            let hourBefore = Fixture.starts - 3600
            #expect(try store.queueReminders(now: hourBefore - 60, lead: 3600) == 0, "not yet")
            #expect(try store.queueReminders(now: hourBefore, lead: 3600) == 2)
            #expect(try store.queueReminders(now: hourBefore + 60, lead: 3600) == 0, "once")
            #expect(
                try Self.drain(store, now: hourBefore).map { "\($0.kind.rawValue):\($0.registration.email)" } == [
                    "reminder:p0@example.com", "reminder:p1@example.com",
                ])
            _ = try store.updateEvent(slug: "launch", patch: EventPatch(startsAt: Fixture.starts + 1800), now: Fixture.now)
            try Self.drain(store)
            #expect(try store.queueReminders(now: Fixture.starts, lead: 3600) == 2, "moved: a new reminder")
            #expect(try store.queueReminders(now: Fixture.starts + 1801, lead: 3600) == 0, "started: none")
        }
    }
}

/// Several nodes draining one PostgreSQL outbox at once.
@Suite("PostgresStore: mail claimed by one node", .enabled(if: TestDatabase.serverURL != nil))
struct PostgresMailClaimTests {
    @Test func twoNodesDeliverEveryMessageExactlyOnce() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        let nodes = try (0..<2).map { _ in try PostgresStore(url: database.url) }
        defer { nodes.forEach { $0.close() } }
        _ = try nodes[0].createEvent(Fixture.newEvent(capacity: 1000), hostKeyHash: "h", now: Fixture.now)
        let requests = (0..<120).map { RegistrationRequest(slug: "launch", name: "P\($0)", email: "p\($0)@example.com") }
        _ = try nodes[0].registerBatch(requests, now: Fixture.now)
        let delivered = Mutex<[Int64]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let store = nodes[worker % 2]
            do {
                while try store.deliverDueMail(
                    now: Fixture.now, limit: 5,
                    { mail in
                        delivered.withLock { $0.append(mail.id) }
                        usleep(2000)  // a mail server's round trip: the other nodes must skip this row meanwhile
                        return .sent(reply: "250 ok", at: Fixture.now)
                    }) > 0
                {}
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let ids = delivered.withLock { $0 }
        #expect(ids.count == 120)
        #expect(Set(ids).count == 120, "no message was delivered twice")
        #expect(try nodes[1].mailStats().pending == 0)
        // Reminders too: four nodes asking at once queue one per ticket holder.
        let queued = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let count = (try? nodes[worker % 2].queueReminders(now: Fixture.starts - 60, lead: 3600)) ?? -1000
            queued.withLock { $0 += count }
        }
        #expect(queued.withLock { $0 } == 120)
    }
}
