import ArgumentParser
import Foundation
import Webinar

extension BackchannelCommand {
    /// `backchannel mail …`: the outbox, from the command line.
    struct MailCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mail",
            abstract: "Work with the mail outbox (on the database directly, like serve).",
            subcommands: [MailRetry.self])
    }

    /// `backchannel mail retry [SLUG]`: failed messages become pending again, due at once; a running
    /// server sends them at its next look (within seconds).
    struct MailRetry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Queue failed messages again (of one event, or all) once the cause is fixed.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The event's slug (default: every event).") var slug: String?

        func run() throws {
            if let slug, !Slug.isValid(slug) {
                throw CommandFailure.badInput("\"\(slug)\" is not a slug ([a-z0-9][a-z0-9-]{0,63}).")
            }
            let opened = try self.store.open(mustExist: true)
            defer { opened.close() }
            let count: Int
            do {
                count = try opened.store.retryFailedMail(slug: self.slug, now: Date())
            } catch let error as WebinarError where error == .eventNotFound {
                throw CommandFailure.failed(
                    "no event has the slug \"\(self.slug ?? "")\" in \(self.store.location) (see: backchannel event list).")
            }
            let scope = self.slug.map { " of \($0)" } ?? ""
            print(count == 0 ? "No failed messages\(scope)." : "\(count) failed message\(count == 1 ? "" : "s")\(scope) queued again.")
        }
    }
}
