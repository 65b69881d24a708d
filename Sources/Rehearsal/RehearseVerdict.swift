extension RehearseAnalysis {
    /// Lists every problem (loss, misorder, duplicates, errors, drops, a wrong registration outcome)
    /// and sets `ready` when there is none.
    static func verdict(_ report: inout RehearseReport) {
        var problems = report.registration.problems.map { "registration: \($0)" }
        let c = report.connections
        if c.neverJoined > 0 {
            problems.append("\(c.neverJoined) of \(c.planned) clients never joined (\(self.reasons(c.failures)))")
        }
        if c.unexpectedCloses > 0 && c.unexpectedCloses == c.joined {
            problems.append("every client lost its connection (\(self.reasons(c.failures))): the server stopped or crashed during the run")
        } else if c.unexpectedCloses > 0 {
            problems.append("\(c.unexpectedCloses) clients lost their connection during the run (\(self.reasons(c.failures)))")
        }
        let comments = report.comments
        if comments.unacked > 0 {
            problems.append("\(comments.unacked) of \(comments.sent) comments were never acknowledged")
        }
        if comments.notPosted > 0 {
            problems.append("\(comments.notPosted) comments could not be posted: their attendee had lost the connection")
        }
        if !comments.rejected.isEmpty {
            let total = comments.rejected.values.reduce(0, +)
            problems.append("\(total) comments were refused (\(self.counts(comments.rejected)))")
        }
        let d = report.delivery
        if d.lost > 0 {
            problems.append(
                "\(d.lost) deliveries missing: \(d.clientsWithLoss) of \(d.clientsChecked) clients had not received every acked comment "
                    + "by the end of the \(RehearseReport.number(report.plan.drainSeconds)) s drain (lost, or that late; see the latency)")
        }
        if d.duplicates > 0 {
            problems.append("\(d.duplicates) duplicate deliveries at \(d.clientsWithDuplicates) clients")
        }
        if d.misorderedClients > 0 {
            problems.append("\(d.misorderedClients) clients received comments out of id order")
        }
        if d.lost == 0 && d.misorderedClients == 0 && !d.sameSequence {
            problems.append("clients did not all see the same comment sequence")
        }
        let m = report.moderation
        if m.noticesMissing > 0 {
            problems.append("\(m.noticesMissing) of \(m.noticesExpected) hide/pin notices did not arrive")
        }
        if m.hideBeforeComment > 0 {
            problems.append("\(m.hideBeforeComment) hide notices arrived before the comment they hide")
        }
        if !report.serverErrors.isEmpty {
            problems.append("the server answered with errors: \(self.counts(report.serverErrors))")
        }
        if report.plan.attendees < report.plan.requestedAttendees {
            problems.append(
                "only \(report.plan.attendees) of \(report.plan.requestedAttendees) attendees had a ticket to join with: use a fresh event or raise its capacity"
            )
        }
        if comments.sent == 0 && report.plan.attendees > 0 && problems.isEmpty {
            problems.append("no comment was posted")
        }
        if comments.held > 0 {
            report.warnings.append(
                "\(comments.held) comments were held for review (moderation \"review\" or blocked words): they were not delivered to the room"
            )
        }
        report.problems = problems
        report.ready = problems.isEmpty
    }

    static func counts(_ counts: [String: Int]) -> String {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }

    private static func reasons(_ failures: [String: Int]) -> String {
        failures.isEmpty ? "no reason seen" : self.counts(failures)
    }
}
