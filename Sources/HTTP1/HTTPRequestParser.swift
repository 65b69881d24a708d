/// An incremental HTTP/1.1 request parser: bytes in, complete requests out, no I/O.
///
/// Feed it whatever the socket delivered. It consumes bytes until one request is complete and then stops,
/// so the caller loops over pipelined requests and keeps the bytes that follow an Upgrade request
/// (they belong to the new protocol). When a whole request sits in the input it is parsed straight from
/// there; only the bytes of an unfinished head are copied, and body bytes go straight into the body.
///
/// Every size is bounded by `HTTPParserLimits`, and limits fail as soon as they are crossed.
/// After a thrown error the parser is reset; answer with `error.status` and close the connection.
/// The grammar and framing rules enforced are listed on `HTTPHeadParser` and `ChunkedBodyDecoder`.
///
/// ```swift
/// var offset = 0
/// while offset < bytes.count {
///     let (consumed, request) = try parser.parse(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
///     offset += consumed
///     if let request { handle(request) }
/// }
/// ```
public struct HTTPRequestParser {
    private enum Phase {
        case idle, head, fixedBody, chunkedBody
    }

    public let limits: HTTPParserLimits
    private var phase = Phase.idle
    private var scanner = HTTPHeadScanner()
    /// The bytes of an unfinished head; empty whenever the head is complete or the parser is idle.
    private var headBuffer: [UInt8] = []
    private var requestLineChecked = false
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var remaining = 0
    private var chunked = ChunkedBodyDecoder()

    public init(limits: HTTPParserLimits = .init()) {
        self.limits = limits
    }

    /// True when no partial request is buffered (an idle keep-alive connection holds no memory).
    public var isIdle: Bool { self.phase == .idle }

    /// The head of a request whose body is still arriving, e.g. to answer `Expect: 100-continue`.
    public var headAwaitingBody: HTTPRequestHead? { self.head }

    /// Feeds bytes. Returns how many bytes it consumed and the request if one completed. It stops right after
    /// each complete request, so the caller loops for pipelined requests and keeps the bytes after an Upgrade
    /// request. Without a complete request, every byte is consumed.
    public mutating func parse(
        _ input: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> (consumed: Int, request: HTTPRequest?) {
        do throws(HTTPParseError) {
            switch self.phase {
            case .idle: return try self.parseFromIdle(input)
            case .head: return try self.parseBufferedHead(input)
            case .fixedBody, .chunkedBody: return try self.parseBody(input, from: 0)
            }
        } catch {
            self = HTTPRequestParser(limits: self.limits)
            throw error
        }
    }

    /// Fast path: the head is scanned and parsed in place, without copying.
    private mutating func parseFromIdle(
        _ input: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> (consumed: Int, request: HTTPRequest?) {
        // RFC 9112 §2.2: ignore empty lines before a request (some clients send CRLF after a body).
        var start = 0
        while start < input.count, input[start] == HTTPByte.cr || input[start] == HTTPByte.lf { start += 1 }
        if start == input.count { return (start, nil) }
        let region = UnsafeRawBufferPointer(rebasing: input[start...])
        switch try self.scanner.scan(region, limits: self.limits) {
        case .complete(let end):
            let headBytes = UnsafeRawBufferPointer(rebasing: region[0..<end])
            return try self.headCompleted(headBytes, input: input, bodyStart: start + end)
        case .incomplete:
            try self.checkRequestLine(region)
            self.headBuffer.append(contentsOf: region)
            self.phase = .head
            return (input.count, nil)
        }
    }

    /// Slow path: part of the head arrived earlier; append at most what the limits allow and rescan.
    private mutating func parseBufferedHead(
        _ input: UnsafeRawBufferPointer
    ) throws(HTTPParseError) -> (consumed: Int, request: HTTPRequest?) {
        let previous = self.headBuffer.count
        // The longest head the limits allow, plus the one byte that proves it too long.
        let maxHead =
            min(self.limits.maxRequestLineBytes, Int.max / 4) + min(self.limits.maxHeaderBytes, Int.max / 4) + 3
        let take = min(input.count, max(0, maxHead - previous))
        self.headBuffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[0..<take]))
        let buffer = self.headBuffer
        // withUnsafeBytes rethrows untyped errors, so the typed error travels in a Result.
        let outcome = buffer.withUnsafeBytes {
            bytes -> Result<(consumed: Int, request: HTTPRequest?), HTTPParseError> in
            do throws(HTTPParseError) {
                switch try self.scanner.scan(bytes, limits: self.limits) {
                case .complete(let end):
                    self.headBuffer = []
                    let headBytes = UnsafeRawBufferPointer(rebasing: bytes[0..<end])
                    return .success(try self.headCompleted(headBytes, input: input, bodyStart: end - previous))
                case .incomplete:
                    try self.checkRequestLine(bytes)
                    return .success((take, nil))
                }
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Rejects a bad request line as soon as it is complete, instead of waiting for the whole head.
    private mutating func checkRequestLine(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) {
        if !self.requestLineChecked, let lineEnd = self.scanner.requestLineEnd {
            _ = try HTTPHeadParser.parseRequestLine(bytes, lineEnd: lineEnd)
            self.requestLineChecked = true
        }
    }

    private mutating func headCompleted(
        _ headBytes: UnsafeRawBufferPointer,
        input: UnsafeRawBufferPointer,
        bodyStart: Int
    ) throws(HTTPParseError) -> (consumed: Int, request: HTTPRequest?) {
        guard let lineEnd = self.scanner.requestLineEnd else {
            preconditionFailure("a complete head has a request line")
        }
        let (head, framing) = try HTTPHeadParser.parse(
            headBytes,
            requestLineEnd: lineEnd,
            fieldCount: self.scanner.fieldLineFeeds - 1,
            limits: self.limits
        )
        switch framing {
        case .none:
            self.reset()
            return (bodyStart, HTTPRequest(head: head))
        case .length(let length):
            self.head = head
            if input.count - bodyStart >= length {
                let body = [UInt8](UnsafeRawBufferPointer(rebasing: input[bodyStart..<(bodyStart + length)]))
                self.reset()
                return (bodyStart + length, HTTPRequest(head: head, body: body))
            }
            self.body.reserveCapacity(length)
            self.remaining = length
            self.phase = .fixedBody
        case .chunked:
            self.head = head
            self.phase = .chunkedBody
        }
        return try self.parseBody(input, from: bodyStart)
    }

    private mutating func parseBody(
        _ input: UnsafeRawBufferPointer,
        from start: Int
    ) throws(HTTPParseError) -> (consumed: Int, request: HTTPRequest?) {
        let rest = UnsafeRawBufferPointer(rebasing: input[start...])
        let consumed: Int
        let done: Bool
        if self.phase == .fixedBody {
            consumed = min(self.remaining, rest.count)
            self.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<consumed]))
            self.remaining -= consumed
            done = self.remaining == 0
        } else {
            (consumed, done) = try self.chunked.decode(rest, into: &self.body, limits: self.limits)
        }
        guard done, let head = self.head else { return (start + consumed, nil) }
        var body: [UInt8] = []
        swap(&body, &self.body)
        self.reset()
        return (start + consumed, HTTPRequest(head: head, body: body))
    }

    /// Back to idle, releasing every buffer.
    private mutating func reset() {
        self.phase = .idle
        self.scanner = HTTPHeadScanner()
        self.headBuffer = []
        self.requestLineChecked = false
        self.head = nil
        self.body = []
        self.remaining = 0
        self.chunked = ChunkedBodyDecoder()
    }
}

@available(*, unavailable)
extension HTTPRequestParser: Sendable {}
