import Foundation
import Testing

/// What a passing rehearsal's `--json` report must say, shared by the plain and TLS rehearsal tests.
enum RehearseReadyReport {
    /// Checks every section of a READY report for a run with this audience; returns the comments sent.
    @discardableResult
    static func expect(
        _ stdout: String, ticketed: Int, waitlisted: Int, attendees: Int, viewers: Int, minimumSent: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Int {
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any], "\(stdout)", sourceLocation: sourceLocation)
        #expect(report["ready"] as? Bool == true, sourceLocation: sourceLocation)
        #expect((report["problems"] as? [String])?.isEmpty == true, "\(report["problems"] ?? "")", sourceLocation: sourceLocation)

        let registration = try #require(report["registration"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(registration["ticketed"] as? Int == ticketed, sourceLocation: sourceLocation)
        #expect(registration["waitlisted"] as? Int == waitlisted, sourceLocation: sourceLocation)
        #expect(registration["positionsCorrect"] as? Bool == true, sourceLocation: sourceLocation)

        let clients = attendees + viewers + 1  // and the host
        let connections = try #require(report["connections"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(connections["joined"] as? Int == clients, sourceLocation: sourceLocation)
        #expect(connections["attendees"] as? Int == attendees, sourceLocation: sourceLocation)
        #expect(connections["viewers"] as? Int == viewers, sourceLocation: sourceLocation)
        #expect(connections["hosts"] as? Int == 1, sourceLocation: sourceLocation)
        #expect(connections["unexpectedCloses"] as? Int == 0, sourceLocation: sourceLocation)

        let comments = try #require(report["comments"] as? [String: Any], sourceLocation: sourceLocation)
        let sent = try #require(comments["sent"] as? Int, sourceLocation: sourceLocation)
        #expect(sent >= minimumSent, sourceLocation: sourceLocation)
        #expect(comments["acked"] as? Int == sent, sourceLocation: sourceLocation)

        let delivery = try #require(report["delivery"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(delivery["clientsChecked"] as? Int == clients, sourceLocation: sourceLocation)
        #expect(delivery["expected"] as? Int == sent * clients, sourceLocation: sourceLocation)
        #expect(delivery["delivered"] as? Int == sent * clients, sourceLocation: sourceLocation)
        #expect(delivery["lost"] as? Int == 0, sourceLocation: sourceLocation)
        #expect(delivery["duplicates"] as? Int == 0, sourceLocation: sourceLocation)
        #expect(delivery["misorderedClients"] as? Int == 0, sourceLocation: sourceLocation)
        #expect(delivery["sameSequence"] as? Bool == true, sourceLocation: sourceLocation)

        let moderation = try #require(report["moderation"] as? [String: Any], sourceLocation: sourceLocation)
        #expect((moderation["hidden"] as? [Any])?.count == 3, sourceLocation: sourceLocation)
        #expect((moderation["pinned"] as? [Any])?.count == 2, sourceLocation: sourceLocation)
        #expect(moderation["noticesMissing"] as? Int == 0, sourceLocation: sourceLocation)

        let latency = try #require(report["latency"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(latency["count"] as? Int == sent * clients, sourceLocation: sourceLocation)
        let p50 = try #require(latency["p50Ms"] as? Double, sourceLocation: sourceLocation)
        let p99 = try #require(latency["p99Ms"] as? Double, sourceLocation: sourceLocation)
        #expect(p50 > 0 && p50 <= p99, sourceLocation: sourceLocation)
        return sent
    }
}
