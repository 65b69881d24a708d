public import HTTP1

/// One extension a client offers in `Sec-WebSocket-Extensions` (RFC 6455 §9.1), e.g.
/// `permessage-deflate; client_max_window_bits`. Names and values are kept as sent; quoted values
/// are unescaped.
public struct WebSocketExtensionOffer: Equatable, Sendable {
    public var name: String
    public var parameters: [(name: String, value: String?)]

    public init(name: String, parameters: [(name: String, value: String?)] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// The first parameter with this name (ASCII case-insensitive), if any.
    public func parameter(named name: String) -> (name: String, value: String?)? {
        let wanted = name.lowercased()
        return self.parameters.first { $0.name.lowercased() == wanted }
    }

    public static func == (lhs: WebSocketExtensionOffer, rhs: WebSocketExtensionOffer) -> Bool {
        lhs.name == rhs.name && lhs.parameters.count == rhs.parameters.count
            && zip(lhs.parameters, rhs.parameters).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// Parses every Sec-WebSocket-Extensions header, in order (RFC 6455 §9.1 grammar):
    ///
    ///     extension-list = 1#extension
    ///     extension      = extension-token *( ";" extension-param )
    ///     extension-param = token [ "=" (token | quoted-string) ]
    ///
    /// with optional whitespace around separators and empty list elements skipped (RFC 9110 §5.6.1).
    /// A quoted value must still be a token once unescaped (§9.1).
    ///
    /// - Throws: a 400 `WebSocketHandshakeError` on malformed syntax.
    public static func parse(_ headers: HTTPHeaders) throws(WebSocketHandshakeError) -> [WebSocketExtensionOffer] {
        var offers: [WebSocketExtensionOffer] = []
        for value in headers.values(for: "Sec-WebSocket-Extensions") {
            var parser = Parser(Array(value.utf8))
            guard let parsed = parser.parseList() else {
                throw .badRequest("malformed Sec-WebSocket-Extensions header")
            }
            offers.append(contentsOf: parsed)
        }
        return offers
    }
}

extension WebSocketExtensionOffer {
    /// Recursive descent over one header value; nil on the first syntax error.
    struct Parser {
        private let bytes: [UInt8]
        private var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func parseList() -> [WebSocketExtensionOffer]? {
            var offers: [WebSocketExtensionOffer] = []
            while true {
                self.skipWhitespace()
                guard let byte = self.peek() else { return offers }
                if byte == UInt8(ascii: ",") {
                    self.index += 1
                    continue
                }
                guard let offer = self.parseExtension() else { return nil }
                offers.append(offer)
                self.skipWhitespace()
                guard let separator = self.peek() else { return offers }
                guard separator == UInt8(ascii: ",") else { return nil }
                self.index += 1
            }
        }

        private mutating func parseExtension() -> WebSocketExtensionOffer? {
            guard let name = self.parseToken() else { return nil }
            var offer = WebSocketExtensionOffer(name: name)
            while true {
                self.skipWhitespace()
                guard self.peek() == UInt8(ascii: ";") else { return offer }
                self.index += 1
                self.skipWhitespace()
                guard let parameter = self.parseToken() else { return nil }
                self.skipWhitespace()
                var value: String?
                if self.peek() == UInt8(ascii: "=") {
                    self.index += 1
                    self.skipWhitespace()
                    if self.peek() == UInt8(ascii: "\"") {
                        guard let quoted = self.parseQuotedString(), Self.isToken(quoted) else { return nil }
                        value = String(decoding: quoted, as: UTF8.self)
                    } else {
                        guard let token = self.parseToken() else { return nil }
                        value = token
                    }
                }
                offer.parameters.append((name: parameter, value: value))
            }
        }

        private mutating func parseToken() -> String? {
            let start = self.index
            while let byte = self.peek(), Self.isTokenCharacter(byte) { self.index += 1 }
            guard self.index > start else { return nil }
            return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
        }

        /// `DQUOTE *( qdtext / quoted-pair ) DQUOTE` (RFC 9110 §5.6.4), returned unescaped.
        private mutating func parseQuotedString() -> [UInt8]? {
            self.index += 1
            var value: [UInt8] = []
            while let byte = self.peek() {
                self.index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return value
                case UInt8(ascii: "\\"):
                    guard let escaped = self.peek() else { return nil }
                    self.index += 1
                    value.append(escaped)
                default:
                    value.append(byte)
                }
            }
            return nil
        }

        private mutating func skipWhitespace() {
            while let byte = self.peek(), byte == 0x20 || byte == 0x09 { self.index += 1 }
        }

        private func peek() -> UInt8? {
            self.index < self.bytes.count ? self.bytes[self.index] : nil
        }

        static func isToken(_ bytes: [UInt8]) -> Bool {
            !bytes.isEmpty && bytes.allSatisfy(self.isTokenCharacter)
        }

        /// `tchar` (RFC 9110 §5.6.2).
        static func isTokenCharacter(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
        }
    }
}
