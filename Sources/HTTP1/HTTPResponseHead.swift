import Foundation

/// The head of one HTTP/1.1 answer (status line and fields), parsed from the bytes a client has
/// read so far: the one response parser, for the rehearsal's API calls and the tests' clients
/// (the server itself only parses requests, with `HTTPRequestParser`).
public struct HTTPResponseHead: Sendable, Equatable {
    /// A head that is not HTTP/1.x: the bytes as text, for the failure message.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let status: Int
    /// Fields in the order received, names as sent.
    public let headers: [(name: String, value: String)]
    /// Bytes from the start of the answer to the end of the blank line: where the body begins.
    public let length: Int

    /// The first value of a field, by case-insensitive name.
    public func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body length the head announces, or nil when it has none (then the body runs to EOF).
    public var contentLength: Int? { self.header("Content-Length").flatMap { Int($0) } }

    /// Whether the answer has no body whatever its fields say (101, 204, 304).
    public var hasNoBody: Bool { self.status == 101 || self.status == 204 || self.status == 304 }

    /// The head at the start of `bytes`, or nil while its blank line has not arrived.
    ///
    /// - Throws: `Failure` when the complete head does not start with an `HTTP/1.x NNN` status line.
    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> HTTPResponseHead? {
        let bytes = Array(bytes)
        guard let end = Self.blankLine(in: bytes) else { return nil }
        var lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "not an HTTP answer: \(statusLine)")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        return HTTPResponseHead(status: status, headers: headers, length: end + 4)
    }

    public static func == (lhs: HTTPResponseHead, rhs: HTTPResponseHead) -> Bool {
        lhs.status == rhs.status && lhs.length == rhs.length
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    /// The index of the first CR LF CR LF.
    private static func blankLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
