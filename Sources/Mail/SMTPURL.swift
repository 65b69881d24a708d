import Foundation

/// Where and how to submit mail: `smtp://user:password@host:587` (STARTTLS when the server offers it)
/// or `smtps://user:password@host:465` (TLS from the first byte). The password is a secret: it is
/// never part of ``description``.
public struct SMTPURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// TLS from the first byte (`smtps://`), rather than STARTTLS after the greeting.
    public var implicitTLS: Bool
    public var username: String?
    public var password: String?

    /// - Throws: ``SMTPError/unsendable(_:)`` with a sentence naming what is wrong (never the password).
    public init(_ text: String) throws(SMTPError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps"
        else {
            throw .unsendable("mail.smtp.url must look like smtp://user:password@host:587 or smtps://user:password@host:465")
        }
        guard var host = components.host, !host.isEmpty else { throw .unsendable("mail.smtp.url has no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            throw .unsendable("mail.smtp.url takes no path or query: smtp://user:password@host:587")
        }
        self.host = host
        self.implicitTLS = scheme == "smtps"
        self.port = components.port ?? (self.implicitTLS ? 465 : 587)
        guard (1...65535).contains(self.port) else { throw .unsendable("mail.smtp.url has port \(self.port), out of range") }
        self.username = components.user?.removingPercentEncoding
        self.password = components.password?.removingPercentEncoding
        if (self.username == nil) != (self.password == nil) {
            throw .unsendable("mail.smtp.url needs both a user name and a password, or neither")
        }
    }

    /// `smtp://ada@mail.example.org:587`: the URL without its password, safe to log.
    public var description: String {
        let scheme = self.implicitTLS ? "smtps" : "smtp"
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let user = self.username.map { "\($0)@" } ?? ""
        return "\(scheme)://\(user)\(host):\(self.port)"
    }
}
