import Foundation
import Synchronization

/// The public numbers of an event (`GET /api/events/{slug}`) that a rehearsal plans and checks with.
struct RehearseEventInfo: Codable, Sendable, Equatable {
    var capacity: Int
    var ticketsIssued: Int
    var seatsLeft: Int
    var waitlistLength: Int
    var registrationOpen: Bool
    var publicViewing: Bool
    var moderation: String
    var slowModeSeconds: Int

    /// Reads the event; throws a sentence naming what went wrong.
    static func fetch(_ http: RehearseHTTP, slug: String) throws -> RehearseEventInfo {
        let reply = try http.send("GET", "/api/events/\(slug)")
        guard reply.status == 200, let json = reply.json else {
            throw RehearseHTTP.Failure(description: "GET /api/events/\(slug) answered \(reply.status) \(reply.errorCode ?? "")")
        }
        return RehearseEventInfo(
            capacity: json["capacity"] as? Int ?? 0, ticketsIssued: json["ticketsIssued"] as? Int ?? 0,
            seatsLeft: json["seatsLeft"] as? Int ?? 0, waitlistLength: json["waitlistLength"] as? Int ?? 0,
            registrationOpen: json["registrationOpen"] as? Bool ?? true, publicViewing: json["publicViewing"] as? Bool ?? true,
            moderation: json["moderation"] as? String ?? "open", slowModeSeconds: json["slowModeSeconds"] as? Int ?? 0)
    }
}

/// What registering N people produced, checked against the seats the event had.
struct RegistrationOutcome: Codable, Sendable {
    var requested = 0
    var ticketed = 0
    var waitlisted = 0
    var failed = 0
    /// Failures by error code or status, e.g. `{"registration_closed": 3}`.
    var failures: [String: Int] = [:]
    var before: RehearseEventInfo?
    var after: RehearseEventInfo?
    var expectedTicketed = 0
    var expectedWaitlisted = 0
    /// Whether the waitlist places handed out were exactly the next ones, each once.
    var positionsCorrect = true
    var seconds = 0.0
    var problems: [String] = []
}

/// Registers `count` people with unique emails on `workers` threads, then checks the outcome.
enum RehearseRegistration {
    struct Result: Sendable {
        var outcome: RegistrationOutcome
        /// Codes of the ticketed registrations, for attendees to join with.
        var tickets: [String]
    }

    private struct Answer: Sendable {
        var status: String?
        var code: String?
        var position: Int?
        var failure: String?
    }

    /// With `hostKey`, registrations are sent with it, so the server's per-address throttle (which
    /// would stop a simulated crowd from one machine) does not apply.
    static func run(
        target: RehearseTarget, slug: String, count: Int, tag: String, deadline: ContinuousClock.Instant, hostKey: String? = nil
    ) async -> Result {
        var outcome = RegistrationOutcome()
        outcome.requested = count
        let started = ContinuousClock.now
        let http = RehearseHTTP(target: target)
        do {
            outcome.before = try RehearseEventInfo.fetch(http, slug: slug)
        } catch {
            outcome.problems.append("could not read the event before registering: \(error)")
            return Result(outcome: outcome, tickets: [])
        }
        let answers = await self.register(target: target, slug: slug, count: count, tag: tag, deadline: deadline, hostKey: hostKey)
        var tickets: [String] = []
        var positions: [Int] = []
        for answer in answers {
            switch answer.status {
            case "ticketed":
                outcome.ticketed += 1
                if let code = answer.code { tickets.append(code) }
            case "waitlisted":
                outcome.waitlisted += 1
                positions.append(answer.position ?? -1)
            default:
                outcome.failed += 1
                outcome.failures[answer.failure ?? "no answer", default: 0] += 1
            }
        }
        outcome.after = try? RehearseEventInfo.fetch(http, slug: slug)
        outcome.seconds = (ContinuousClock.now - started) / .seconds(1)
        self.check(&outcome, positions: positions)
        return Result(outcome: outcome, tickets: tickets)
    }

    /// Exactly min(N, seats left) ticketed, the rest on the waitlist at the next places, and the
    /// event's counters moved by as much.
    static func check(_ outcome: inout RegistrationOutcome, positions: [Int]) {
        guard let before = outcome.before else { return }
        let answered = outcome.ticketed + outcome.waitlisted
        outcome.expectedTicketed = min(answered, before.seatsLeft)
        outcome.expectedWaitlisted = answered - outcome.expectedTicketed
        if outcome.failed > 0 {
            let kinds = outcome.failures.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            outcome.problems.append("\(outcome.failed) of \(outcome.requested) registrations failed (\(kinds))")
        }
        if outcome.ticketed != outcome.expectedTicketed {
            outcome.problems.append(
                "\(outcome.ticketed) registrations got a ticket, expected \(outcome.expectedTicketed) (seats left before: \(before.seatsLeft))"
            )
        }
        let expectedPositions = Array(stride(from: before.waitlistLength + 1, through: before.waitlistLength + outcome.waitlisted, by: 1))
        outcome.positionsCorrect = positions.sorted() == expectedPositions
        if !outcome.positionsCorrect {
            outcome.problems.append(
                "waitlist places were not exactly \(before.waitlistLength + 1)…\(before.waitlistLength + outcome.waitlisted), each once")
        }
        guard let after = outcome.after else {
            outcome.problems.append("could not read the event after registering")
            return
        }
        if after.capacity != before.capacity {
            outcome.problems.append("capacity changed during the rehearsal (\(before.capacity) → \(after.capacity))")
        }
        if after.ticketsIssued != before.ticketsIssued + outcome.ticketed {
            outcome.problems.append("the event counts \(after.ticketsIssued) tickets, expected \(before.ticketsIssued + outcome.ticketed)")
        }
        if after.waitlistLength != before.waitlistLength + outcome.waitlisted {
            outcome.problems.append(
                "the event counts \(after.waitlistLength) waiting, expected \(before.waitlistLength + outcome.waitlisted)")
        }
        if after.ticketsIssued > after.capacity {
            outcome.problems.append("more tickets (\(after.ticketsIssued)) than seats (\(after.capacity))")
        }
    }

    /// POSTs the registrations from a few threads, each on its own keep-alive connection.
    private static func register(
        target: RehearseTarget, slug: String, count: Int, tag: String, deadline: ContinuousClock.Instant, hostKey: String?
    ) async -> [Answer] {
        let next = RehearseLocked(0)
        let answers = RehearseLocked<[Answer]>([])
        let workers = max(1, min(16, count))
        await RehearseThreads.run(count: workers) { _ in
            let http = RehearseHTTP(target: target)
            while true {
                let index = next.withLock { value -> Int in
                    value += 1
                    return value - 1
                }
                guard index < count else { return }
                guard ContinuousClock.now < deadline else {
                    answers.withLock { $0.append(Answer(failure: "setup deadline passed")) }
                    continue
                }
                let answer = Self.registerOne(http, slug: slug, index: index, tag: tag, hostKey: hostKey)
                answers.withLock { $0.append(answer) }
            }
        }
        return answers.value
    }

    private static func registerOne(_ http: RehearseHTTP, slug: String, index: Int, tag: String, hostKey: String?) -> Answer {
        let body: [String: Any] = ["name": "Rehearsal \(index + 1)", "email": "rehearsal-\(tag)-\(index + 1)@example.com"]
        do {
            let reply = try http.send("POST", "/api/events/\(slug)/registrations", json: body, token: hostKey)
            guard reply.status == 201 || reply.status == 200, let json = reply.json else {
                return Answer(failure: reply.errorCode ?? "HTTP \(reply.status)")
            }
            return Answer(
                status: json["status"] as? String, code: json["code"] as? String, position: json["position"] as? Int,
                failure: "unexpected status \(json["status"] ?? "none")")
        } catch {
            return Answer(failure: "\(error)")
        }
    }
}

/// Runs blocking work on plain threads and waits for all of them without blocking a task.
enum RehearseThreads {
    static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let left = RehearseLocked(count)
            for index in 0..<count {
                let thread = Thread {
                    body(index)
                    let last = left.withLock { value -> Bool in
                        value -= 1
                        return value == 0
                    }
                    if last { continuation.resume() }
                }
                thread.stackSize = 512 << 10
                thread.start()
            }
        }
    }
}
