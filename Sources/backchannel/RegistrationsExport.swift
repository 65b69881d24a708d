import ArgumentParser
import BackchannelServer
import Foundation
import Webinar

extension BackchannelCommand {
    /// `backchannel registrations export SLUG`: the same CSV or JSON as the HTTP export, on stdout.
    struct RegistrationsExport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write an event's registrations to stdout (same columns as GET /api/events/{slug}/registrations).")

        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

        @OptionGroup var store: StoreOptions
        @Argument(help: "The event's slug.") var slug: String
        @Option(help: "csv (default) or json.") var format: Format = .csv

        func run() throws {
            guard Slug.isValid(self.slug) else {
                throw CommandFailure.badInput("\"\(self.slug)\" is not a slug ([a-z0-9][a-z0-9-]{0,63}).")
            }
            let opened = try self.store.open(mustExist: true)
            defer { opened.close() }
            let store = opened.store
            let registrations: [Registration]
            do {
                registrations = try store.registrations(slug: self.slug)
            } catch let error as WebinarError {
                throw CommandFailure.failed(
                    error == .eventNotFound
                        ? "no event has the slug \"\(self.slug)\" in \(self.store.location) (see: backchannel event list)."
                        : error.message)
            }
            let bytes: [UInt8] =
                switch self.format {
                case .csv: Array(RegistrationExport.csv(registrations).utf8)
                case .json: RegistrationExport.json(registrations) + [UInt8(ascii: "\n")]
                }
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}
