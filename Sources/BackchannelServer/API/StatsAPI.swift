import Foundation
import HTTP1
import Webinar

/// `GET /api/events/{slug}/stats` (host): what the dashboard draws, counted per minute from what the
/// store keeps (registrations, cancellations and promotions from the event's mail log, which records
/// each in the transaction that made it; comments from the archive, hidden and held ones included)
/// and the viewers watching now.
enum StatsAPI {
    /// `viewers` reads the live hub's count for an event id.
    static func add(to router: inout Router<Route>, api: APIContext, viewers: @escaping @Sendable (Int64) -> Int) {
        router.add(
            .get, "/api/events/:slug/stats",
            .http { context, respond in
                let slug = context.parameters["slug"] ?? ""
                api.run(respond) {
                    _ = try api.requireHost(context, slug: slug)
                    guard let event = try api.store.event(slug: slug) else { throw WebinarError.eventNotFound }
                    var minutes: [Int64: MinuteCounts] = [:]
                    for record in try api.store.mailLog(slug: slug) {
                        minutes[Self.minute(record.createdAt), default: MinuteCounts()].count(record.kind)
                    }
                    for comment in try api.store.comments(eventId: event.id, after: nil, limit: Int.max, includeHidden: true) {
                        minutes[Self.minute(comment.createdAt), default: MinuteCounts()].comments += 1
                    }
                    let body = StatsBody(
                        generatedAt: RFC3339.format(api.now()), viewers: viewers(event.id), ticketsIssued: event.ticketsIssued,
                        offersOpen: event.offersOpen, waitlistLength: event.waitlistLength,
                        perMinute: minutes.sorted { $0.key < $1.key }.map { minute, counts in
                            MinuteBody(minute: RFC3339.format(Date(timeIntervalSince1970: TimeInterval(minute * 60))), counts: counts)
                        })
                    return api.json(.ok, body)
                }
            })
    }

    static func minute(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 60).rounded(.down)) }

    struct MinuteCounts: Encodable {
        var tickets = 0
        var waitlisted = 0
        var promoted = 0
        var offered = 0
        var cancelled = 0
        var waitlistLeft = 0
        var comments = 0

        mutating func count(_ kind: MailKind) {
            switch kind {
            case .confirmed: self.tickets += 1
            case .waitlisted: self.waitlisted += 1
            case .promoted: self.promoted += 1
            case .offered: self.offered += 1
            case .cancelled: self.cancelled += 1
            // A lapsed offer leaves the queue too (a declined one is mailed as waitlist_left).
            case .waitlistLeft, .offerExpired: self.waitlistLeft += 1
            case .rescheduled, .reminder, .ticketLink: break
            }
        }
    }

    struct MinuteBody: Encodable {
        let minute: String
        let counts: MinuteCounts

        enum Keys: String, CodingKey { case minute, tickets, waitlisted, promoted, offered, cancelled, waitlistLeft, comments }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(self.minute, forKey: .minute)
            try c.encode(self.counts.tickets, forKey: .tickets)
            try c.encode(self.counts.waitlisted, forKey: .waitlisted)
            try c.encode(self.counts.promoted, forKey: .promoted)
            try c.encode(self.counts.offered, forKey: .offered)
            try c.encode(self.counts.cancelled, forKey: .cancelled)
            try c.encode(self.counts.waitlistLeft, forKey: .waitlistLeft)
            try c.encode(self.counts.comments, forKey: .comments)
        }
    }

    struct StatsBody: Encodable {
        let generatedAt: String
        let viewers: Int
        let ticketsIssued: Int
        let offersOpen: Int
        let waitlistLength: Int
        let perMinute: [MinuteBody]
    }
}
