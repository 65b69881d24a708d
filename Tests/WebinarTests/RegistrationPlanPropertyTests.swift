import Foundation
import PropertyBased
import Testing
import Webinar

/// ``RegistrationPlan`` under random sequences of register, cancel, claim, decline, expire (time
/// moving on) and capacity changes, applied to a model store the way the stores apply them (only the
/// rows the plan asked for are loaded): tickets never pass capacity, tickets and offers together never
/// do, the counters match the rows, the waiting list is places 1…N with no gap, and nobody waits while a
/// seat is neither ticketed nor offered.
@Suite struct RegistrationPlanPropertyTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// What a store holds: the event row and every registration row.
    struct Model {
        var event: Event
        var rows: [RegistrationPlan.Row] = []
        var lastQueue: Int64 = 0
        var now: Date

        func waiting(_ count: Int) -> [RegistrationPlan.Row] {
            Array(self.rows.filter { $0.status == .waitlisted }.sorted { $0.queue < $1.queue }.prefix(count))
        }

        mutating func apply(_ changes: RegistrationPlan.Changes) {
            self.event = changes.event
            for update in changes.updates {
                guard let index = self.rows.firstIndex(where: { $0.id == update.id }) else {
                    Issue.record("the plan updated registration \(update.id), which the store does not hold")
                    continue
                }
                self.rows[index].status = update.status
                self.rows[index].offerExpiresAt = update.offerExpiresAt
            }
        }

        /// One command: `kind` picks it, `target` the registration (or the new capacity), `minutes` how
        /// far time moves first.
        mutating func run(kind: Int, target: Int, minutes: Int) {
            self.now += TimeInterval(minutes * 60)
            let row = self.rows.isEmpty ? nil : self.rows[target % self.rows.count]
            switch kind {
            case 0, 1:
                self.lastQueue += 1
                let status = RegistrationPlan.register(&self.event)
                self.rows.append(.init(id: Int64(self.rows.count + 1), status: status, queue: self.lastQueue))
            case 2:
                guard let row else { return }
                let freeing = row.status == .ticketed || row.status == .offered ? 1 : 0
                let waiting = self.waiting(RegistrationPlan.waitingNeeded(self.event, freeing: freeing))
                self.apply(RegistrationPlan.cancel(row, event: self.event, waiting: waiting, now: self.now))
            case 3:
                guard let row else { return }
                do {
                    self.apply(try RegistrationPlan.claim(row, event: self.event, now: self.now))
                    #expect(row.status == .ticketed || row.status == .offered)
                } catch {
                    #expect(row.status != .offered || row.offerExpiresAt! <= self.now, "an open offer can be claimed")
                }
            case 4:
                guard let row else { return }
                let waiting = self.waiting(RegistrationPlan.waitingNeeded(self.event, freeing: 1))
                do {
                    self.apply(try RegistrationPlan.decline(row, event: self.event, waiting: waiting, now: self.now))
                } catch {
                    #expect(row.status != .offered || row.offerExpiresAt! <= self.now, "an open offer can be declined")
                }
            case 5:
                let lapsed = self.rows.filter { $0.status == .offered && $0.offerExpiresAt! <= self.now }
                let waiting = self.waiting(RegistrationPlan.waitingNeeded(self.event, freeing: lapsed.count))
                self.apply(RegistrationPlan.expire(lapsed, event: self.event, waiting: waiting, now: self.now))
                #expect(!self.rows.contains { $0.status == .offered && $0.offerExpiresAt! <= self.now }, "every lapsed offer ends")
            default:
                let capacity = 1 + target % 8
                do {
                    let next = try EventPatch(capacity: capacity).applied(to: self.event)
                    let waiting = self.waiting(RegistrationPlan.waitingNeeded(next, freeing: 0))
                    self.apply(RegistrationPlan.capacityChanged(next, waiting: waiting, now: self.now))
                } catch {
                    #expect(capacity < self.event.ticketsIssued + self.event.offersOpen, "only a capacity below held seats is refused")
                }
            }
        }

        func checkInvariants() {
            let ticketed = self.rows.filter { $0.status == .ticketed }.count
            let offered = self.rows.filter { $0.status == .offered }
            let waiting = self.rows.filter { $0.status == .waitlisted }
            #expect(ticketed <= self.event.capacity, "capacity exceeded")
            #expect(ticketed + offered.count <= self.event.capacity, "tickets and offers exceed capacity")
            #expect(ticketed == self.event.ticketsIssued)
            #expect(offered.count == self.event.offersOpen)
            #expect(waiting.count == self.event.waitlistLength)
            let queues = waiting.map(\.queue).sorted()
            #expect(Set(queues).count == queues.count, "places 1…N with no repeat")
            #expect(waiting.isEmpty || self.event.seatsLeft == 0, "nobody waits while a seat is free")
            let cutoff = self.event.startsAt.addingTimeInterval(-RegistrationPlan.lastOfferBeforeStart)
            for offer in offered {
                #expect(offer.offerExpiresAt! <= cutoff, "an offer outlives startsAt - 15 min")
            }
        }
    }

    @Test func randomCommandsKeepTheSeatRules() async {
        await propertyCheck(
            count: 300,
            input: Gen.int(in: 1...6), Gen.int(in: 0...3),
            Gen.int(in: 0...6).array(of: 1...60), Gen.int(in: 0...40).array(of: 60), Gen.int(in: 0...400).array(of: 60)
        ) { capacity, window, kinds, targets, minutes in
            // Windows of none, an hour, a day and a week; the event starts in two days.
            let event = Event(
                id: 1, slug: "e", title: "E", startsAt: Self.start + 2 * 86_400, capacity: capacity, createdAt: Self.start,
                claimWindowMinutes: [0, 60, 1440, 10_080][window])
            var model = Model(event: event, now: Self.start)
            for (index, kind) in kinds.enumerated() {
                model.run(kind: kind, target: targets[index], minutes: minutes[index])
                model.checkInvariants()
            }
        }
    }
}
