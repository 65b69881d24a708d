import Foundation
import Glibc
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
                if case .rejected = error {
                } else {
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
    /// a message; a retry after a crash writes the same file again. A message holds a ticket link and an
    /// address: the folder is made 0700 and each file 0600. Not fsynced (the row is marked sent
    /// once the kernel has the file): only a power loss could lose a preview, and the sync cost each
    /// message more than rendering it.
    static func write(_ message: MailMessage, mail: OutboxMail, into folder: String) throws(SMTPError) -> String {
        let name = String(format: "%08lld-%@.eml", mail.id, mail.kind.rawValue)
        let folder = URL(fileURLWithPath: folder).path
        let file = folder + "/" + name
        let temporary = folder + "/." + name + ".tmp"
        do {
            if !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw .connection("cannot create \(folder): \(error.localizedDescription)")
        }
        let bytes = message.rendered()
        let descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .connection("cannot write \(file): \(String(cString: strerror(errno)))") }
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { buffer -> Int32? in
            while written < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return nil
        }
        Glibc.close(descriptor)
        if let failure {
            unlink(temporary)
            throw .connection("cannot write \(file): \(String(cString: strerror(failure)))")
        }
        guard rename(temporary, file) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .connection("cannot write \(file): \(reason)")
        }
        return "written to \(file)"
    }
}
