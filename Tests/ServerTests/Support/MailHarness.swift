import BackchannelServer
import Foundation
import ServerTesting
import TestSupport

/// A server whose mail goes to a real SMTP server (aiosmtpd) over STARTTLS with AUTH, and helpers to
/// read what arrived as a mail client would.
final class MailHarness {
    let certificate: TestCertificate
    let smtp: TestSMTPServer
    let server: TestServer
    static let publicURL = "https://events.example.org"

    init(smtpOptions: [String] = [], databaseURL: String? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        self.certificate = try TestCertificate()
        self.smtp = try TestSMTPServer(
            options: [
                "--tls-cert", self.certificate.certificateFile, "--tls-key", self.certificate.keyFile, "--auth", "bc:secret",
            ] + smtpOptions)
        let port = self.smtp.port
        let ca = self.certificate.certificateFile
        self.server = try TestServer(databaseURL: databaseURL) { configuration in
            configuration.mailSMTPURL = "smtp://bc:secret@localhost:\(port)"
            configuration.mailFrom = "Launch team <events@example.org>"
            configuration.publicURL = Self.publicURL
            configuration.mailCAFile = ca
            configuration.mailRetrySeconds = 0.3
            configuration.staticDirectory = PackagePaths.staticDirectory
            configure(&configuration)
        }
    }

    func stop() { self.server.stop() }

    /// Waits for `count` messages and returns them as Python's mail parser and icalendar read them.
    func messages(_ count: Int, seconds: Double = 20) throws -> [[String: Any]] {
        try TestSMTPServer.inspect(self.smtp.waitForMessages(count, seconds: seconds))
    }

    /// The path of a link in a message, checked to start with the public URL: `/tickets/…`.
    static func path(of link: String) -> String? {
        guard link.hasPrefix(Self.publicURL) else { return nil }
        return String(link.dropFirst(Self.publicURL.count))
    }

    /// The first `https://events.example.org/tickets/…` link in a text body.
    static func ticketLink(in text: String) -> String? { Self.link(in: text, path: "/tickets/") }

    /// The first link in `text` on the public address whose path starts with `path`.
    static func link(in text: String, path: String) -> String? {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" }).map(String.init)
            .first { $0.hasPrefix(Self.publicURL + path) }
    }
}

/// The value of one unlabelled metric in Prometheus text, or nil when absent.
func metricValue(_ text: String, _ name: String) -> Double? {
    text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
}
