import Foundation
import Sockets
public import TLS

/// One SMTP submission session (RFC 5321, RFC 6409) over a ``BlockingStream``: greeting, EHLO,
/// STARTTLS (RFC 3207) or implicit TLS, AUTH PLAIN or LOGIN (RFC 4954), then any number of messages,
/// pipelined (RFC 2920) when the server offers it. Every command waits at most ``Settings/commandTimeout``
/// for its reply. Sequential by nature: one thread drives a session.
public final class SMTPSession {
    public struct Settings: Sendable {
        public var url: SMTPURL
        /// Trusts the server's certificate; must verify (the system store plus an optional CA file).
        public var tls: TLSContext
        /// The name we give in EHLO (our public host name).
        public var clientName: String
        public var connectTimeout: Duration
        public var commandTimeout: Duration

        public init(
            url: SMTPURL, tls: TLSContext, clientName: String, connectTimeout: Duration = .seconds(15),
            commandTimeout: Duration = .seconds(60)
        ) {
            self.url = url
            self.tls = tls
            self.clientName = clientName
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
        }
    }

    private let settings: Settings
    private let stream: BlockingStream
    private var parser = SMTPReplyParser()
    private var extensions: [String: [String]] = [:]
    private var broken = false

    /// The server's EHLO keywords, uppercased (`PIPELINING`, `AUTH`, `SIZE`, …).
    public var offered: Set<String> { Set(self.extensions.keys) }
    /// Whether the session runs over TLS (implicit or after STARTTLS).
    public var isSecure: Bool { self.stream.isSecure }

    /// Connects and readies the session for messages: greeting, EHLO, TLS, AUTH.
    ///
    /// - Throws: ``SMTPError``: `.connection` when the server cannot be reached or TLS fails,
    ///   `.rejected` when it refuses the greeting, EHLO or the credentials, `.unsendable` when the
    ///   password would have to travel without TLS.
    public init(_ settings: Settings) throws(SMTPError) {
        self.settings = settings
        let url = settings.url
        do {
            self.stream = try BlockingStream(host: url.host, port: url.port, timeout: settings.connectTimeout)
            if url.implicitTLS {
                try self.stream.startTLS(settings.tls, serverName: url.host, timeout: settings.commandTimeout)
            }
        } catch {
            throw .connection(error.description)
        }
        try self.expect(self.readReply(), command: "the greeting")
        try self.hello()
        if !url.implicitTLS, self.extensions["STARTTLS"] != nil {
            try self.expect(self.command("STARTTLS"), command: "STARTTLS")
            guard !self.parser.hasPartialReply else {
                throw .protocolError("the server sent bytes after agreeing to STARTTLS (a STARTTLS injection attempt?)")
            }
            do {
                try self.stream.startTLS(settings.tls, serverName: url.host, timeout: settings.commandTimeout)
            } catch {
                throw .connection(error.description)
            }
            try self.hello()
        }
        if let username = url.username, let password = url.password {
            guard self.stream.isSecure else {
                throw .unsendable(
                    "\(url.host) does not offer STARTTLS, so the password would travel in clear; use smtps:// or a server with STARTTLS")
            }
            try self.authenticate(username: username, password: password)
        }
    }

    deinit { self.stream.close() }

    /// Hands one message to the server: MAIL FROM, RCPT TO, DATA, the dot-stuffed bytes.
    ///
    /// - Returns: the server's final reply (250 with its queue id).
    /// - Throws: ``SMTPError/rejected(command:reply:)`` when the server refused the message (the session
    ///   stays usable), `.connection`/`.protocolError` when the session broke (do not reuse it).
    public func send(from: MailAddress, to: MailAddress, message: [UInt8]) throws(SMTPError) -> SMTPReply {
        let mail = "MAIL FROM:\(from.path)"
        let rcpt = "RCPT TO:\(to.path)"
        let replies: [SMTPReply]
        if self.extensions["PIPELINING"] != nil {
            try self.write("\(mail)\r\n\(rcpt)\r\nDATA\r\n")
            replies = [try self.readReply(), try self.readReply(), try self.readReply()]
        } else {
            var sequential = [try self.command(mail)]
            if sequential[0].isPositive { sequential.append(try self.command(rcpt)) }
            if sequential.last!.isPositive { sequential.append(try self.command("DATA")) }
            replies = sequential
        }
        let names = [mail, rcpt, "DATA"]
        if let refused = replies.indices.first(where: { !replies[$0].isPositive }) {
            // A pipelined DATA may have been accepted anyway: end it empty so the session stays in step.
            if replies.count == 3, replies[2].code == 354 { _ = try self.exchange(".\r\n") }
            try self.reset()
            throw .rejected(command: Self.shown(names[refused]), reply: replies[refused])
        }
        guard replies.count == 3, replies[2].code == 354 else {
            throw .protocolError("DATA was answered \(replies.last!) instead of 354")
        }
        let final = try self.exchange(SMTPData.encode(message))
        guard final.isPositive else {
            throw .rejected(command: "the message", reply: final)
        }
        return final
    }

    /// QUIT, waiting briefly for the goodbye, then closes.
    public func quit() {
        if !self.broken { _ = try? self.command("QUIT") }
        self.stream.close()
    }

    // MARK: Steps

    private func hello() throws(SMTPError) {
        let reply = try self.command("EHLO \(self.settings.clientName)")
        try self.expect(reply, command: "EHLO")
        self.extensions = reply.extensions
    }

    private func authenticate(username: String, password: String) throws(SMTPError) {
        let mechanisms = self.extensions["AUTH"] ?? []
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try self.expect(self.command("AUTH PLAIN \(token)", shown: "AUTH PLAIN"), command: "AUTH PLAIN")
            return
        }
        try self.expect(self.command("AUTH LOGIN"), command: "AUTH LOGIN", code: 334)
        try self.expect(
            self.command(Data(username.utf8).base64EncodedString(), shown: "AUTH LOGIN user name"),
            command: "AUTH LOGIN", code: 334)
        try self.expect(self.command(Data(password.utf8).base64EncodedString(), shown: "AUTH LOGIN password"), command: "AUTH LOGIN")
    }

    private func reset() throws(SMTPError) {
        try self.expect(self.command("RSET"), command: "RSET")
    }

    // MARK: Wire

    /// Sends a command line and returns its reply.
    private func command(_ line: String, shown: String? = nil) throws(SMTPError) -> SMTPReply {
        guard !line.contains("\r"), !line.contains("\n") else {
            throw .unsendable("refused to send a command with a line break: \(shown ?? line)")
        }
        return try self.exchange(Array((line + "\r\n").utf8))
    }

    private func exchange(_ text: String) throws(SMTPError) -> SMTPReply { try self.exchange(Array(text.utf8)) }

    private func exchange(_ bytes: [UInt8]) throws(SMTPError) -> SMTPReply {
        try self.write(bytes)
        return try self.readReply()
    }

    private func write(_ text: String) throws(SMTPError) { try self.write(Array(text.utf8)) }

    private func write(_ bytes: [UInt8]) throws(SMTPError) {
        do {
            try self.stream.write(bytes, timeout: self.settings.commandTimeout)
        } catch {
            self.broken = true
            throw .connection(error.description)
        }
    }

    private func readReply() throws(SMTPError) -> SMTPReply {
        do {
            while true {
                if let reply = try self.parser.next() { return reply }
                self.parser.feed(try self.stream.read(timeout: self.settings.commandTimeout))
            }
        } catch let error as SMTPError {
            self.broken = true
            throw error
        } catch let error as BlockingStream.Failure {
            self.broken = true
            throw .connection(error.description)
        } catch {
            self.broken = true
            throw .connection("\(error)")
        }
    }

    private func expect(_ reply: SMTPReply, command: String, code: Int? = nil) throws(SMTPError) {
        let accepted = code.map { reply.code == $0 } ?? (200..<300).contains(reply.code)
        guard accepted else { throw .rejected(command: command, reply: reply) }
    }

    /// `MAIL FROM:<a@b>` → `MAIL FROM`: the command without the address, for error text.
    private static func shown(_ command: String) -> String {
        command.split(separator: ":").first.map(String.init) ?? command
    }
}

@available(*, unavailable)
extension SMTPSession: Sendable {}
