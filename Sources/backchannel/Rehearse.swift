import ArgumentParser
import Foundation
import Rehearsal

extension BackchannelCommand {
    /// `backchannel rehearse`: a simulated audience against a running server, before the day. The
    /// flags and their ranges live here; the run itself is the `Rehearsal` library's.
    struct Rehearse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rehearse",
            abstract: "Rehearse an event with a simulated audience and report whether the server is ready.",
            discussion: """
                Registers people, joins ticketed attendees and viewers over WebSocket, posts comments at a \
                steady rate, has the host hide and pin a few (with --host-key), then checks what every client \
                received: loss, order, duplicates, latency and server errors. Exit status 0 when ready, 1 when \
                any problem was found, 2 for bad flags. Only loopback targets unless --allow-remote (a host \
                name counts as loopback when it resolves to a loopback address). https:// URLs verify the server's \
                certificate against the system's CA store and --ca-file.
                """)

        @Option(help: "The server's root URL: http://host[:port] or https://host[:port] (wss for the live connections).")
        var url = "http://127.0.0.1:8080"
        @Option(
            name: .customLong("ca-file"),
            help: "PEM CA or self-signed certificate to trust for an https URL, besides the system's CA store.")
        var caFile: String?
        @Option(help: "The event's slug.") var event: String
        @Option(help: "People to register (0–100000).") var registrants = 150
        @Option(help: "Ticketed attendees to join and comment (0–5000).") var attendees = 40
        @Option(help: "Viewers to join without a ticket (0–20000).") var viewers = 200
        @Option(help: "Comments per second, spread over the attendees (0.1–1000).") var rate = 10.0
        @Option(help: "Seconds of commenting (1–3600).") var duration = 20.0
        // Unconditional: a key made before the bch_host_ prefix may start with "-", and is still a value.
        @Option(
            name: .customLong("host-key"), parsing: .unconditional,
            help: "The event's host key (bch_host_…, printed by event create): the host hides and pins a few comments.")
        var hostKey: String?
        @Option(help: "Seconds to wait for the last deliveries after commenting stops (1–120).") var drain = 5.0
        @Option(name: .customLong("setup-timeout"), help: "Seconds allowed for registering and joining (5–600).")
        var setupTimeout = 60.0
        @Option(name: .customLong("rate-limit-comments"), help: "The server's per-attendee limit: comments per window.")
        var rateLimitComments = 5
        @Option(name: .customLong("rate-limit-window"), help: "The server's per-attendee limit: window in seconds.")
        var rateLimitWindow = 10.0
        @Option(help: "Client event-loop threads (1–16; default: up to 4).") var threads: Int?
        @Flag(help: "Print the report as JSON on stdout.") var json = false
        @Flag(name: .customLong("no-progress"), help: "No progress line on stderr.") var noProgress = false
        @Flag(name: .customLong("allow-remote"), help: "Allow a target that is not on this machine's loopback.")
        var allowRemote = false

        func validate() throws {
            func check(_ value: Double, _ range: ClosedRange<Double>, _ flag: String) throws {
                guard range.contains(value) else {
                    throw ValidationError(
                        "\(flag) must be between \(RehearseReport.number(range.lowerBound)) and \(RehearseReport.number(range.upperBound))."
                    )
                }
            }
            try check(Double(self.registrants), 0...100_000, "--registrants")
            try check(Double(self.attendees), 0...5000, "--attendees")
            try check(Double(self.viewers), 0...20_000, "--viewers")
            try check(self.rate, 0.1...1000, "--rate")
            try check(self.duration, 1...3600, "--duration")
            try check(self.drain, 1...120, "--drain")
            try check(self.setupTimeout, 5...600, "--setup-timeout")
            try check(Double(self.rateLimitComments), 1...10_000, "--rate-limit-comments")
            try check(self.rateLimitWindow, 0.1...86_400, "--rate-limit-window")
            if let threads = self.threads { try check(Double(threads), 1...16, "--threads") }
            guard self.attendees <= self.registrants else {
                throw ValidationError(
                    "--attendees (\(self.attendees)) cannot exceed --registrants (\(self.registrants)): attendees join with the tickets registered."
                )
            }
            let comments = self.rate * self.duration
            let deliveries = comments * Double(self.attendees + self.viewers + 1)
            guard comments <= 1_000_000, deliveries <= 20_000_000 else {
                throw ValidationError(
                    "This plan means \(Int(comments)) comments and \(Int(deliveries)) deliveries; a rehearsal checks at most 1 million comments and 20 million deliveries (lower --rate, --duration or --viewers)."
                )
            }
            let target = try self.target()
            if self.caFile != nil && !target.isSecure {
                throw ValidationError("--ca-file is for https:// URLs; \(self.url) is plain http.")
            }
        }

        /// The parsed, resolved URL, refused unless its address is loopback or --allow-remote was
        /// given. `run` resolves again and checks the address it will actually use.
        func target() throws -> RehearseTarget {
            let target: RehearseTarget
            do {
                target = try RehearseTarget.parse(self.url)
            } catch {
                throw ValidationError(error.description)
            }
            guard target.isLoopback || self.allowRemote else {
                throw ValidationError(
                    "--url: \(target.host) (\(target.address)) is not a loopback address. A rehearsal puts real load on a server; pass --allow-remote to do it anyway."
                )
            }
            return target
        }

        func run() async throws {
            var target = try self.target()
            if target.isSecure {
                do {
                    target.tls = try RehearseTrust.context(caFile: self.caFile)
                } catch {
                    throw CommandFailure.badInput("cannot set up TLS for \(self.url): \(error)")
                }
            }
            let options = RehearseRun.Options(
                target: target, url: self.url, slug: self.event, registrants: self.registrants,
                attendees: self.attendees, viewers: self.viewers, rate: self.rate, duration: .seconds(self.duration),
                drain: .seconds(self.drain), setupTimeout: .seconds(self.setupTimeout), hostKey: self.hostKey,
                rateLimitComments: self.rateLimitComments, rateLimitWindowSeconds: self.rateLimitWindow,
                joinTimeoutSeconds: 10, loops: self.threads ?? min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)),
                progress: !self.noProgress)
            let report = await RehearseRun(options: options).run()
            if self.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.text)
            }
            if !report.ready { throw ExitCode(1) }
        }
    }
}
