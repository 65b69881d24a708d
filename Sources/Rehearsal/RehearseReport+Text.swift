import Foundation

extension RehearseReport {
    /// The report for people: one line per section, then problems and warnings.
    public var text: String {
        let p = self.plan
        var lines = ["Backchannel rehearsal of \"\(p.event)\" at \(p.url): \(self.ready ? "READY" : "NOT READY")", ""]
        lines.append(self.row("Registration", self.registrationLine))
        let c = self.connections
        lines.append(
            self.row(
                "Connections",
                "\(c.joined) of \(c.planned) joined (\(c.attendees) attendees, \(c.viewers) viewers, \(c.hosts) host); "
                    + "\(c.unexpectedCloses) dropped, \(c.neverJoined) never joined"))
        let m = self.comments
        let rejected = m.rejected.values.reduce(0, +)
        lines.append(
            self.row(
                "Comments",
                "\(m.sent) sent at \(Self.number(p.rate))/s over \(Self.number(p.durationSeconds)) s, \(m.acked) acked, "
                    + "\(rejected) refused, \(m.unacked) unacked\(m.held > 0 ? ", \(m.held) held" : "")"
                    + (m.notPosted > 0 ? ", \(m.notPosted) not posted (attendee disconnected)" : "")))
        let d = self.delivery
        lines.append(
            self.row(
                "Delivery",
                "\(d.delivered) delivered, \(d.expected) expected at \(d.clientsChecked) clients: \(d.lost) lost, \(d.duplicates) duplicates"
            ))
        lines.append(
            self.row(
                "Order",
                d.clientsChecked == 0
                    ? "not checked: no client stayed connected to the end"
                    : d.misorderedClients == 0 && d.sameSequence
                        ? "every client saw the same id sequence"
                        : "\(d.misorderedClients) clients out of order\(d.sameSequence ? "" : "; sequences differ")"))
        let mod = self.moderation
        lines.append(
            self.row(
                "Moderation",
                p.host
                    ? "\(mod.hidden.count) hidden, \(mod.pinned.count) pinned: \(mod.noticesExpected - mod.noticesMissing) of \(mod.noticesExpected) notices arrived"
                    : "skipped (no --host-key)"))
        if let l = self.latency {
            lines.append(
                self.row(
                    "Latency",
                    "p50 \(Self.number(l.p50Ms)) ms  p90 \(Self.number(l.p90Ms)) ms  p99 \(Self.number(l.p99Ms)) ms  "
                        + "max \(Self.number(l.maxMs)) ms  (\(l.count) deliveries, post to arrival)"))
        } else {
            lines.append(self.row("Latency", "no deliveries measured"))
        }
        lines.append(self.row("Server errors", self.serverErrors.isEmpty ? "none" : RehearseAnalysis.counts(self.serverErrors)))
        lines.append(self.row("Took", "\(Self.number(self.elapsedSeconds)) s"))
        if !self.problems.isEmpty {
            lines.append("")
            lines.append("Problems:")
            lines += self.problems.map { "  - \($0)" }
        }
        if !self.warnings.isEmpty {
            lines.append("")
            lines.append("Warnings:")
            lines += self.warnings.map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    private var registrationLine: String {
        let r = self.registration
        guard let before = r.before else { return "not checked (the event could not be read)" }
        var line = "\(r.requested) registered in \(Self.number(r.seconds)) s: \(r.ticketed) ticketed, \(r.waitlisted) waitlisted"
        if r.waitlisted > 0 {
            line += " at places \(before.waitlistLength + 1)…\(before.waitlistLength + r.waitlisted)"
        }
        line += r.problems.isEmpty ? " (correct for \(before.seatsLeft) seats left)" : " (wrong, see problems)"
        if let after = r.after {
            line += "; now \(after.ticketsIssued)/\(after.capacity) seats taken, \(after.waitlistLength) waiting"
        }
        return line
    }

    private func row(_ label: String, _ value: String) -> String {
        label.padding(toLength: 14, withPad: " ", startingAt: 0) + value
    }

    /// At most one decimal for numbers of any size; whole numbers without one.
    public static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }
}
