/// Upper bounds on what one request may make the parser hold, so a peer can never make a
/// connection grow without limit (uWS `MAX_HEADERS`, NIO's header size cap).
public struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request line, CRLF excluded; longer lines fail with 414 before their CRLF arrives.
    public var maxRequestLineBytes: Int
    /// Longest header section (every field line and the final CRLF); longer sections fail with 431 at once.
    public var maxHeaderBytes: Int
    /// Most header fields accepted; one more fails with 431.
    public var maxHeaderCount: Int
    /// Largest body, whether framed by Content-Length or chunked; larger bodies fail with 413 at once.
    public var maxBodyBytes: Int

    public init(
        maxRequestLineBytes: Int = 8192,
        maxHeaderBytes: Int = 16384,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1 << 20
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
