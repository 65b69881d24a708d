/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its text lines.
///
/// The first digit says what to do next: 2 done, 3 go on (send the data, the next AUTH step), 4 try
/// again later, 5 never retry this.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    /// The text of each line, without the code, the separator and the CRLF.
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    public var isPositive: Bool { (200..<400).contains(self.code) }
    /// 4yz: the server may accept the same command later.
    public var isTransient: Bool { (400..<500).contains(self.code) }
    /// 5yz: the server will not accept it.
    public var isPermanent: Bool { (500..<600).contains(self.code) }

    /// `550 5.1.1 no such user`, lines joined by spaces and cut to 500 characters: what the host sees.
    public var description: String {
        let text = self.lines.joined(separator: " ").trimmingSpaces
        let full = text.isEmpty ? String(self.code) : "\(self.code) \(text)"
        return full.count <= 500 ? full : String(full.prefix(497)) + "..."
    }

    /// The EHLO keywords (first word of each line after the greeting line), uppercased: `STARTTLS`,
    /// `PIPELINING`, `AUTH`, …
    var extensions: [String: [String]] {
        var found: [String: [String]] = [:]
        for line in self.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            found[keyword] = words.dropFirst().map { $0.uppercased() }
        }
        return found
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
