import Histogram

/// Turns what the clients saw into the report's delivery, order, moderation and error sections.
///
/// Loss is judged per client: a client joined before a comment was sent and still connected at the
/// end must have received every acked comment that was not held for review, hidden ones included
/// (the host hides only comments already acked, and the server sends a comment to the room before
/// any later message, so a hidden comment was delivered before its `hidden` notice). Clients that
/// dropped are reported as unexpected closes instead.
enum RehearseAnalysis {
    struct Moderated: Sendable {
        var action: String
        var commentId: Int64
    }

    static func analyze(
        _ report: inout RehearseReport, records: [RehearseClientRecord], posts: [RehearseLedger.Post], moderated: [Moderated],
        latency: Histogram<UInt64>
    ) {
        self.connections(&report, records)
        self.comments(&report, posts)
        self.delivery(&report, records, posts)
        self.moderation(&report, records, moderated)
        if latency.totalCount > 0 {
            func ms(_ micros: UInt64) -> Double { (Double(micros) / 10).rounded() / 100 }
            report.latency = .init(
                count: latency.totalCount, p50Ms: ms(latency.valueAtPercentile(50)), p90Ms: ms(latency.valueAtPercentile(90)),
                p99Ms: ms(latency.valueAtPercentile(99)), maxMs: ms(latency.max))
        }
        self.verdict(&report)
    }

    private static func connections(_ report: inout RehearseReport, _ records: [RehearseClientRecord]) {
        var c = RehearseReport.Connections()
        c.planned = records.count
        for record in records {
            if record.joinedAt != 0 {
                c.joined += 1
                switch record.role {
                case .attendee: c.attendees += 1
                case .viewer: c.viewers += 1
                case .host: c.hosts += 1
                }
            } else {
                c.neverJoined += 1
            }
            if record.unexpectedClose { c.unexpectedCloses += 1 }
            if let failure = record.failure { c.failures[failure, default: 0] += 1 }
            for (code, count) in record.errors { report.serverErrors[code, default: 0] += count }
        }
        report.connections = c
    }

    private static func comments(_ report: inout RehearseReport, _ posts: [RehearseLedger.Post]) {
        var c = RehearseReport.Comments()
        c.planned = posts.count
        for post in posts where post.sentAt != 0 || post.rejected != nil {
            if post.sentAt != 0 { c.sent += 1 }
            if post.id != nil {
                c.acked += 1
                if post.held { c.held += 1 }
            } else if post.rejected == RehearseClient.notConnected {
                c.notPosted += 1
            } else if let code = post.rejected {
                c.rejected[code, default: 0] += 1
            } else {
                c.unacked += 1
            }
        }
        report.comments = c
    }

    private static func delivery(_ report: inout RehearseReport, _ records: [RehearseClientRecord], _ posts: [RehearseLedger.Post]) {
        var d = RehearseReport.Delivery()
        let visible = posts.filter { $0.id != nil && !$0.held }
        let ours = Set(posts.compactMap(\.id))
        let firstSent = posts.lazy.map(\.sentAt).filter { $0 != 0 }.min() ?? UInt64.max
        // Every checked client joined before the first comment, so each should see all of these.
        let expected = visible.compactMap(\.id).sorted()
        let expectedSet = Set(expected)
        var others = Set<Int64>()
        var reference: [Int64]?
        for record in records where record.joinedAt != 0 {
            var seen = Set<Int64>()
            var highest = Int64.min
            var misordered = false
            var duplicates = 0
            var sequence: [Int64] = []
            for id in record.commentIds {
                if !seen.insert(id).inserted {
                    duplicates += 1
                    continue
                }
                if id < highest { misordered = true }
                highest = max(highest, id)
                if ours.contains(id) { sequence.append(id) } else { others.insert(id) }
            }
            d.duplicates += duplicates
            if duplicates > 0 { d.clientsWithDuplicates += 1 }
            if misordered { d.misorderedClients += 1 }
            d.delivered += sequence.count
            guard !record.unexpectedClose, record.failure == nil, record.joinedAt <= firstSent else { continue }
            d.clientsChecked += 1
            d.expected += expected.count
            let lost = sequence == expected ? 0 : expectedSet.subtracting(seen).count
            d.lost += lost
            if lost > 0 { d.clientsWithLoss += 1 }
            if let reference {
                if reference != sequence { d.sameSequence = false }
            } else {
                reference = sequence
            }
        }
        d.otherComments = others.count
        report.delivery = d
    }

    private static func moderation(_ report: inout RehearseReport, _ records: [RehearseClientRecord], _ moderated: [Moderated]) {
        var m = RehearseReport.Moderation()
        m.hidden = moderated.filter { $0.action == "hide" }.map(\.commentId)
        m.pinned = moderated.filter { $0.action == "pin" }.map(\.commentId)
        for record in records where record.joinedAt != 0 && !record.unexpectedClose && record.failure == nil {
            m.noticesExpected += m.hidden.count + m.pinned.count
            let hiddenSeen = Set(record.hidden.map(\.id))
            let pinnedSeen = Set(record.pinned)
            m.noticesMissing += m.hidden.filter { !hiddenSeen.contains($0) }.count
            m.noticesMissing += m.pinned.filter { !pinnedSeen.contains($0) }.count
            for notice in record.hidden where !record.commentIds.prefix(notice.after).contains(notice.id) {
                m.hideBeforeComment += 1
            }
        }
        report.moderation = m
    }
}
