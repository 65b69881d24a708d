import ArgumentParser
import Foundation

/// `backchannel`: the server and its admin commands.
@main
struct BackchannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backchannel",
        abstract: "Webinar registration with a waitlist, and live audience comments over WebSocket.",
        subcommands: [Serve.self, EventCommand.self, RegistrationsCommand.self, MailCommand.self, Rehearse.self],
        defaultSubcommand: Serve.self
    )

    /// Bad flags exit with status 2 (not ArgumentParser's 64), like bad configuration.
    static func main() async {
        do {
            var command = try Self.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Self.exitCode(for: error)
            if code == .success {
                Self.exit(withError: error)
            }
            FileHandle.standardError.write(Data((Self.fullMessage(for: error) + "\n").utf8))
            if code == .validationFailure || error is ConfigurationFailure || error is CommandFailure {
                Foundation.exit(2)
            }
            Foundation.exit(code.rawValue)
        }
    }
}

/// A configuration problem found at start: printed, then exit status 2.
struct ConfigurationFailure: Error, CustomStringConvertible {
    let description: String
}
