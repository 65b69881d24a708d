/// A mailbox: an address and the name shown beside it, safe to put in SMTP commands and headers.
///
/// Registration accepts loose addresses (it only catches typos), so an address is checked again here
/// before it reaches the wire: plain ASCII dot-atom text (RFC 5322 §3.2.3) around one `@` and a domain
/// of letters, digits, hyphens and dots. Anything else (`<`, `>`, quotes, spaces, CR/LF, non-ASCII) is
/// refused, so no address can close an SMTP path or start a new header.
public struct MailAddress: Sendable, Equatable {
    public let address: String
    public let name: String?

    /// - Throws: ``SMTPError/unsendable(_:)`` saying why the address cannot be mailed.
    public init(_ address: String, name: String? = nil) throws(SMTPError) {
        guard Self.isMailable(address) else {
            throw .unsendable("the address \(Self.shown(address)) cannot be written in SMTP (plain ASCII name@domain only)")
        }
        self.address = address
        self.name = name
    }

    /// `<address>` as MAIL FROM and RCPT TO take it.
    var path: String { "<\(self.address)>" }

    /// The header form: `Name <address>`, the name as a quoted string or RFC 2047 encoded words.
    func headerValue(used: Int) -> String {
        guard let name, !name.isEmpty else { return self.address }
        return EncodedWords.phrase(name, used: used) + " <\(self.address)>"
    }

    /// The domain part, for Message-IDs.
    var domain: String { String(self.address[self.address.index(after: self.address.lastIndex(of: "@")!)...]) }

    static func isMailable(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, address.utf8.count <= 254 else { return false }
        let local = parts[0].utf8
        let domain = parts[1].utf8
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-".utf8)
        let dot = UInt8(ascii: ".")
        func isDotAtom(_ bytes: Substring.UTF8View, allowed: Set<UInt8>) -> Bool {
            !bytes.isEmpty && bytes.first != dot && bytes.last != dot
                && !zip(bytes, bytes.dropFirst()).contains { $0 == dot && $1 == dot }
                && bytes.allSatisfy { $0 == dot || allowed.contains($0) }
        }
        let label = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".utf8)
        return local.count <= 64 && isDotAtom(local, allowed: atext) && isDotAtom(domain, allowed: label)
            && domain.contains(dot)
    }

    /// The address for an error message, with anything unprintable shown as `?`.
    static func shown(_ address: String) -> String {
        "\"" + String(address.unicodeScalars.prefix(80).map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f ? Character($0) : "?" })
            + "\""
    }
}
