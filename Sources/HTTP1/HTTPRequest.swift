/// One complete request: its head and its whole body (chunked bodies arrive already de-chunked).
public struct HTTPRequest: Sendable, Equatable {
    public var head: HTTPRequestHead
    /// The body bytes; empty when the request has no body.
    public var body: [UInt8]

    public init(head: HTTPRequestHead, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }
}
