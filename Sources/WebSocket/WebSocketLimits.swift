/// Bounds on what a peer can make the reader hold (RFC 6455 §10.4: an endpoint should limit frame
/// and message sizes). Exceeding either fails the connection with 1009.
public struct WebSocketLimits: Sendable, Equatable {
    /// The largest message, after any decompression, in bytes. Also bounds a single frame.
    public var maxMessageBytes: Int
    /// The most frames one data message may span.
    public var maxFragments: Int

    public init(maxMessageBytes: Int = 64 << 10, maxFragments: Int = 1024) {
        self.maxMessageBytes = max(0, maxMessageBytes)
        self.maxFragments = max(1, maxFragments)
    }
}
