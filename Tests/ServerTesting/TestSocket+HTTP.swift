import HTTP1

extension TestSocket {
    /// Reads one HTTP response: `Content-Length` framed, none for 101/204/304, or until EOF without one.
    /// Bytes after it stay in `buffer` (a pipelined answer, frames after a 101).
    public func readResponse() throws -> TestResponse {
        while true {
            if let head = try HTTPResponseHead.parse(self.buffer) {
                var response = TestResponse(status: head.status, headers: head.headers.map { ($0.name, $0.value) }, body: [])
                if head.hasNoBody {
                    self.buffer.removeFirst(head.length)
                    return response
                }
                if let length = head.contentLength {
                    while self.buffer.count < head.length + length {
                        guard self.fill() else { throw Failure(description: "connection ended inside a body") }
                    }
                    response.body = Array(self.buffer[head.length..<(head.length + length)])
                    self.buffer.removeFirst(head.length + length)
                    return response
                }
                while self.fill() {}
                response.body = Array(self.buffer[head.length...])
                self.buffer = []
                return response
            }
            guard self.fill() else { throw Failure(description: "no response (got \(self.buffer.count) bytes)") }
        }
    }
}
