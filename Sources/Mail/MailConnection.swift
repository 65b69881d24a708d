import Foundation
import Webinar

/// The way out for one round of sending: an SMTP session opened once and reused for every message,
/// reopened after it broke, or the `.eml` folder.
struct MailConnection {
    let delivery: OutboxSender.Delivery
    private var session: SMTPSession?

    init(delivery: OutboxSender.Delivery) {
        self.delivery = delivery
    }

    /// Opens the session if there is none; returns why it could not, or nil when ready.
    mutating func open() -> String? {
        guard case .smtp(let settings) = self.delivery, self.session == nil else { return nil }
        do {
            self.session = try SMTPSession(settings)
            return nil
        } catch {
            return error.description
        }
    }

    /// Hands over one message; returns the server's reply (or where the file went) as the host sees it.
    /// A session that broke is dropped, so the next message opens a new one.
    mutating func send(_ message: MailMessage, mail: OutboxMail) throws(SMTPError) -> String {
        switch self.delivery {
        case .directory(let path):
            return try Self.write(message, mail: mail, into: path)
        case .smtp:
            guard let session = self.session else { throw .connection("no session") }
            do {
                return try session.send(from: message.from, to: message.to, message: message.rendered()).description
            } catch {
                if case .rejected = error {} else {
                    session.quit()
                    self.session = nil
                }
                throw error
            }
        }
    }

    mutating func close() {
        self.session?.quit()
        self.session = nil
    }

    /// `<folder>/<id>-<kind>.eml`, written to a temporary name and renamed, so a reader never sees half
    /// a message; a retry after a crash writes the same file again. A message holds a ticket code and
    /// an address: the folder is made 0700 and each file 0600.
    static func write(_ message: MailMessage, mail: OutboxMail, into folder: String) throws(SMTPError) -> String {
        let directory = URL(fileURLWithPath: folder)
        let name = String(format: "%08lld-%@.eml", mail.id, mail.kind.rawValue)
        let file = directory.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data(message.rendered()).write(to: file, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        } catch {
            throw .connection("cannot write \(file.path): \(error.localizedDescription)")
        }
        return "written to \(file.path)"
    }
}
