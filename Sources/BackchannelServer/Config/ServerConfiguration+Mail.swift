import Foundation
import Mail
import TLS

extension ServerConfiguration {
    /// What ties the mail keys together: a mail server needs a sender address and the public address
    /// for links. (Each key's own rule is in ``keys``; messages never show the SMTP password.)
    func validateMail() throws(ConfigurationError) {
        guard self.mailSMTPURL != nil else { return }
        guard self.publicURL != nil else {
            throw ConfigurationError(
                "public.url is required with mail.smtp.url: the links in messages must use the address people reach "
                    + "this server by, e.g. https://events.example.org")
        }
        guard self.mailFrom != nil else {
            throw ConfigurationError("mail.from is required with mail.smtp.url, e.g. \"Launch team <events@example.org>\"")
        }
    }

    @Sendable static func smtpURLProblem(_ text: String) -> String? {
        do {
            _ = try SMTPURL(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Sendable static func mailboxProblem(_ text: String) -> String? {
        (try? Self.mailbox(text)) == nil
            ? "must be an address or Name <address>, e.g. \"Launch team <events@example.org>\"; got \(text)" : nil
    }

    @Sendable static func publicURLProblem(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false, components.query == nil
        else { return "must be an http:// or https:// address such as https://events.example.org; got \(text)" }
        return nil
    }

    /// `Name <address>` or `address`.
    static func mailbox(_ text: String) throws -> MailAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return try MailAddress(
                String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]),
                name: name.isEmpty ? nil : name)
        }
        return try MailAddress(trimmed)
    }

    /// The sender's settings once the port is bound: SMTP when configured, else the `.eml` folder, with
    /// links on `public.url` (default: this server's own address).
    ///
    /// - Parameter tls: the context ``mailTLSContext()`` made at start (nil without SMTP).
    func mailSenderConfiguration(boundPort: Int, tls: TLSContext?) throws -> OutboxSender.Configuration {
        let host = ["0.0.0.0", "::", ""].contains(self.host) ? "127.0.0.1" : self.host
        let scheme = self.tlsCertificateFile == nil ? "http" : "https"
        let base = self.publicURL ?? "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(boundPort)"
        let from = try self.mailFrom.map(Self.mailbox) ?? MailAddress("backchannel@localhost.invalid", name: "Backchannel")
        let composer = MailComposer(publicURL: base, from: from)
        let delivery: OutboxSender.Delivery
        if let text = self.mailSMTPURL, let tls {
            let clientName = URLComponents(string: base)?.host ?? "localhost"
            delivery = .smtp(
                SMTPSession.Settings(
                    url: try SMTPURL(text), tls: tls,
                    clientName: clientName, commandTimeout: .seconds(max(5, min(60, Int(self.mailRetrySeconds * 2))))))
        } else {
            delivery = .directory(URL(fileURLWithPath: self.dataDirectory).appendingPathComponent("outbox").path)
        }
        return OutboxSender.Configuration(
            composer: composer, delivery: delivery, reminderLead: TimeInterval(self.mailReminderMinutes * 60),
            retry: MailRetryPolicy(base: self.mailRetrySeconds), pollInterval: min(2, self.mailRetrySeconds),
            busyRoundInterval: min(1, self.mailRetrySeconds))
    }

    /// The client TLS settings for the mail server (system store plus `mail.tls.ca.file`), made before
    /// the port opens so an unreadable CA file stops the start; nil without `mail.smtp.url`.
    func mailTLSContext() throws(ConfigurationError) -> TLSContext? {
        guard self.mailSMTPURL != nil else { return nil }
        do {
            return try TLSContext(clientTrust: .system(additionalFile: self.mailCAFile))
        } catch {
            throw ConfigurationError("mail.tls.ca.file: \(error)")
        }
    }
}
