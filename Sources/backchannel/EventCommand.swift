import ArgumentParser

extension BackchannelCommand {
    /// `backchannel event …`: create and list events straight in the store.
    struct EventCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "event",
            abstract: "Create and list events (works on the database directly, like serve).",
            subcommands: [EventCreate.self, EventList.self])
    }
}
