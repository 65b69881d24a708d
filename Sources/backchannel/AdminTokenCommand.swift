import ArgumentParser
import BackchannelServer
import Foundation

extension BackchannelCommand {
    /// `backchannel admin-token …`: the admin bearer token kept (as a hash) in the data directory.
    struct AdminTokenCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "admin-token",
            abstract: "Replace the admin token that serve keeps in its data directory.",
            subcommands: [AdminTokenReset.self])
    }

    /// `backchannel admin-token reset`: a new admin token, printed once; its hash replaces the old one.
    struct AdminTokenReset: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset",
            abstract: "Make a new admin token, print it once and keep only its hash (serve uses it from its next start).")

        @Option(
            name: .customLong("data-dir"), parsing: .unconditional,
            help: "serve's data directory (default: $BACKCHANNEL_DATA_DIR, else ./data).")
        var dataDir: String?

        func run() throws {
            let directory = StoreOptions.dataDirectory(flag: self.dataDir)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandFailure.failed("no data directory at \(directory); pass --data-dir as for serve.")
            }
            let token: String
            do {
                token = try AdminToken.reset(dataDirectory: directory)
            } catch {
                throw CommandFailure.failed("cannot write \(AdminToken.path(dataDirectory: directory)): \(error)")
            }
            print(
                """
                admin token (shown once; only its hash is kept, in \(AdminToken.path(dataDirectory: directory))): \(token)
                serve uses it from its next start; a running server keeps the old token until then.
                """)
            if let configured = ProcessInfo.processInfo.environment["BACKCHANNEL_ADMIN_TOKEN"], !configured.isEmpty {
                FileHandle.standardError.write(
                    Data(
                        "backchannel: note: BACKCHANNEL_ADMIN_TOKEN is set here; while it is set, serve uses it instead of this file.\n"
                            .utf8))
            }
        }
    }
}
