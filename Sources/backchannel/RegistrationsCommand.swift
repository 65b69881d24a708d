import ArgumentParser

extension BackchannelCommand {
    /// `backchannel registrations …`: the host's view of an event's registrations.
    struct RegistrationsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "registrations",
            abstract: "Export an event's registrations (works on the database directly).",
            subcommands: [RegistrationsExport.self])
    }
}
