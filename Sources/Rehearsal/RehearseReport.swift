/// The readiness report of one rehearsal (`--json` prints it as is).
public struct RehearseReport: Codable, Sendable {
    /// True when nothing was lost, misordered, duplicated or refused.
    public var ready = false
    /// Each one makes the run fail (exit status 1).
    var problems: [String] = []
    /// Worth knowing; they do not fail the run.
    var warnings: [String] = []
    var plan: RehearsePlan
    var registration = RegistrationOutcome()
    var connections = Connections()
    var comments = Comments()
    var delivery = Delivery()
    var moderation = Moderation()
    var latency: Latency?
    /// Server `error` messages by code, over all clients.
    var serverErrors: [String: Int] = [:]
    var elapsedSeconds = 0.0

    struct Connections: Codable, Sendable {
        var planned = 0
        var joined = 0
        var attendees = 0
        var viewers = 0
        var hosts = 0
        var neverJoined = 0
        /// Clients whose connection ended without us closing it (server close, reset, EOF).
        var unexpectedCloses = 0
        /// Why clients failed, by reason.
        var failures: [String: Int] = [:]
    }

    struct Comments: Codable, Sendable {
        var planned = 0
        var sent = 0
        var acked = 0
        /// Acked but held for review: not delivered to the room.
        var held = 0
        /// Answered with an error instead of an ack, by code.
        var rejected: [String: Int] = [:]
        /// Sent, never acked nor refused.
        var unacked = 0
        /// Due while their attendee was no longer connected, so never sent.
        var notPosted = 0
    }

    struct Delivery: Codable, Sendable {
        /// Clients joined before the first comment and connected to the end: the ones checked.
        var clientsChecked = 0
        /// Acked, visible comments times the clients that should have seen each.
        var expected = 0
        var delivered = 0
        var lost = 0
        var clientsWithLoss = 0
        var duplicates = 0
        var clientsWithDuplicates = 0
        /// Clients that saw a comment id lower than one they had already seen.
        var misorderedClients = 0
        /// Every checked client saw exactly the same sequence of this run's comment ids.
        var sameSequence = true
        /// Comments by someone other than this rehearsal (ignored for loss, checked for order).
        var otherComments = 0
    }

    struct Moderation: Codable, Sendable {
        var hidden: [Int64] = []
        var pinned: [Int64] = []
        var noticesExpected = 0
        var noticesMissing = 0
        /// Clients that got a `hidden` notice before the comment it hides.
        var hideBeforeComment = 0
    }

    struct Latency: Codable, Sendable {
        var count: UInt64
        var p50Ms: Double
        var p90Ms: Double
        var p99Ms: Double
        var maxMs: Double
    }
}

/// What was asked for, and what the run actually did with it.
struct RehearsePlan: Codable, Sendable {
    var url: String
    var event: String
    var registrants: Int
    var requestedAttendees: Int
    /// Attendees that had a ticket to join with.
    var attendees: Int
    var viewers: Int
    var host: Bool
    var requestedRate: Double
    /// Comments per second actually posted (capped by the per-attendee limit).
    var rate: Double
    var durationSeconds: Double
    var drainSeconds: Double
    var setupTimeoutSeconds: Double
}
