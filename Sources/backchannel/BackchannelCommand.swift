import ArgumentParser
import Foundation

/// `backchannel`: the server and its admin commands.
@main
struct BackchannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backchannel",
        abstract: "Webinar registration with a waitlist, and live audience comments over WebSocket.",
        subcommands: [
            Serve.self, EventCommand.self, RegistrationsCommand.self, MailCommand.self, AdminTokenCommand.self, Rehearse.self,
        ],
        defaultSubcommand: Serve.self
    )

    /// Exit status (README: Exit status): 0 done; 1 the command failed (not found, taken, a database
    /// error, a rehearsal that is not ready); 2 bad flags or configuration (also a port in use at start),
    /// never ArgumentParser's 64.
    static func main() async {
        do {
            var command = try Self.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("backchannel: \(failure.description)\n".utf8))
            Foundation.exit(failure.exitStatus)
        } catch let failure as ConfigurationFailure {
            FileHandle.standardError.write(Data("backchannel: \(failure.description)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = Self.exitCode(for: error)
            if code == .success {
                Self.exit(withError: error)
            }
            FileHandle.standardError.write(Data((Self.fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// `serve` cannot start with this configuration (a bad value, a port in use, a store it cannot
/// open): printed as "backchannel: …", then exit status 2.
struct ConfigurationFailure: Error, CustomStringConvertible {
    let description: String
}
