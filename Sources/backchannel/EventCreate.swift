import ArgumentParser
import BackchannelServer
import Foundation
import Webinar

extension BackchannelCommand {
    /// `backchannel event create`: a new event and its host key, printed once (only its hash is stored).
    struct EventCreate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create an event and print its host key (shown once; only its hash is kept).")

        @OptionGroup var store: StoreOptions
        @Option(help: "The event's name in URLs: [a-z0-9][a-z0-9-]{0,63}.") var slug: String
        @Option(help: "The title, 1–200 characters.") var title: String
        @Option(name: .customLong("starts-at"), help: "Start time, RFC 3339 (e.g. 2026-11-28T14:00:00Z).") var startsAt: String
        @Option(name: .customLong("ends-at"), help: "End time, RFC 3339, after the start.") var endsAt: String?
        @Option(name: .customLong("time-zone"), help: "The IANA time zone mail shows beside UTC (e.g. Europe/Berlin).") var timeZone:
            String?
        @Option(help: "Free tickets, 1–1000000.") var capacity: Int
        @Option(help: "A description, at most 5000 characters.") var description: String?
        @Flag(help: "Hold comments for review (moderation \"review\"); default is \"open\".") var review = false
        @Option(
            name: .customLong("claim-window-minutes"),
            help: "How long a freed seat is offered to the next person waiting, 0–10080 (default 1440; 0 tickets them at once).")
        var claimWindowMinutes: Int?

        func run() throws {
            let new = NewEvent(
                slug: self.slug, title: self.title, description: self.description,
                startsAt: try Self.date(self.startsAt, flag: "--starts-at"),
                endsAt: try self.endsAt.map { try Self.date($0, flag: "--ends-at") },
                timeZone: self.timeZone, capacity: self.capacity, moderation: self.review ? .review : .open,
                claimWindowMinutes: self.claimWindowMinutes)
            let opened = try self.store.open(mustExist: false)
            defer { opened.close() }
            let store = opened.store
            let (key, hash) = HostKeys.generate()
            let event: Event
            do {
                event = try store.createEvent(new, hostKeyHash: hash, now: Date())
            } catch let error as WebinarError {
                throw error.kind == .invalid
                    ? CommandFailure.badInput(error.commandLineMessage) : CommandFailure.failed(error.commandLineMessage)
            }
            print(
                """
                created event \(event.slug): \(event.title)
                  starts at   \(RFC3339.format(event.startsAt))
                  ends at     \(event.endsAt.map(RFC3339.format) ?? "-")
                  time zone   \(event.timeZone ?? "UTC")
                  capacity    \(event.capacity)
                  moderation  \(event.moderation.rawValue)
                  claim window \(event.claimWindowMinutes) min
                  page        /events/\(event.slug)
                host key (shown once; only its hash is stored): \(key)
                """)
        }

        static func date(_ text: String, flag: String) throws -> Date {
            guard let date = RFC3339.parse(text) else {
                throw CommandFailure.badInput("\(flag): \"\(text)\" is not an RFC 3339 time such as 2026-11-28T14:00:00Z.")
            }
            return date
        }
    }
}
