import Foundation
import Testing
import Webinar

@Suite("MessageBudget")
struct MessageBudgetTests {
    private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aBurstOfTheLimitPassesThenTheNextWaitsForARefill() throws {
        var budget = MessageBudget(limit: 60, window: 10)  // 6 per second on average
        for _ in 0..<60 { try budget.spend(now: self.t0) }
        do {
            try budget.spend(now: self.t0)
            Issue.record("the 61st message in the same instant was admitted")
        } catch {
            #expect(error.code == "rate_limited" && error.kind == .rateLimited && error.retryAfter == 1)
            #expect(error.message.contains("too fast"))
        }
        // A refused message does not count: a sixth of a second later one more fits, and no second one.
        try budget.spend(now: self.t0 + 0.17)
        #expect(throws: WebinarError.self) { try budget.spend(now: self.t0 + 0.17) }
        #expect(!budget.isFull(now: self.t0 + 5))
        #expect(budget.isFull(now: self.t0 + 10.2))
        for _ in 0..<60 { try budget.spend(now: self.t0 + 10.2) }
    }

    @Test func retryAfterCountsTheSecondsToTheNextMessage() throws {
        var budget = MessageBudget(limit: 2, window: 20)  // one per 10 s
        try budget.spend(now: self.t0)
        try budget.spend(now: self.t0)
        #expect(
            throws: WebinarError(
                kind: .rateLimited, code: "rate_limited", message: "You are sending messages too fast; wait 7 s.", retryAfter: 7)
        ) { try budget.spend(now: self.t0 + 3) }
    }

    @Test func eachSenderHasItsOwnBudgetAndIdleOnesAreForgotten() throws {
        var budgets = MessageBudgets(limit: 3, window: 3)
        for _ in 0..<3 { try budgets.spend("flooder", now: self.t0) }
        #expect(throws: WebinarError.self) { try budgets.spend("flooder", now: self.t0) }
        try budgets.spend("other", now: self.t0)
        try budgets.spend("other", now: self.t0)
        #expect(budgets.trackedSenders == 2)
        budgets.prune(now: self.t0 + 1)
        #expect(budgets.trackedSenders == 2, "neither budget has refilled yet")
        budgets.prune(now: self.t0 + 3)
        #expect(budgets.trackedSenders == 0)
        for _ in 0..<3 { try budgets.spend("flooder", now: self.t0 + 3) }
    }
}
