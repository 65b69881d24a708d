import ArgumentParser
import Foundation
import Webinar

extension BackchannelCommand {
    /// `backchannel event list`: every event, soonest first, with its seats and waitlist.
    struct EventList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List events, soonest first.")

        @OptionGroup var store: StoreOptions

        func run() throws {
            let opened = try self.store.open(mustExist: true)
            defer { opened.close() }
            let store = opened.store
            let events = try store.events()
            guard !events.isEmpty else {
                print("no events")
                return
            }
            let now = Date()
            let rows =
                [["SLUG", "STARTS AT", "STATE", "CAPACITY", "TICKETS", "WAITLIST", "OPEN", "TITLE"]]
                + events.map { event in
                    [
                        event.slug, RFC3339.format(event.startsAt), event.state(at: now).rawValue, String(event.capacity),
                        String(event.ticketsIssued), String(event.waitlistLength), event.registrationOpen ? "yes" : "no",
                        event.title,
                    ]
                }
            let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                let cells = row.enumerated().map { column, cell in
                    column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }
                print(cells.joined(separator: "  "))
            }
        }
    }
}
