extension WebSocketReader {
    /// The first bytes of a header split across reads: at most 14 (2 + 8 of length + 4 of key), kept
    /// inline like uWS's spill buffer so a split header costs no allocation.
    struct PartialHeader {
        private var storage: (UInt64, UInt64) = (0, 0)
        private(set) var count = 0

        var isEmpty: Bool { self.count == 0 }

        mutating func append(_ byte: UInt8) {
            precondition(self.count < 16, "a frame header is at most 14 bytes")
            let index = self.count
            withUnsafeMutableBytes(of: &self.storage) { $0[index] = byte }
            self.count += 1
        }

        subscript(index: Int) -> UInt8 {
            Swift.withUnsafeBytes(of: self.storage) { $0[index] }
        }

        func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
            let count = self.count
            return Swift.withUnsafeBytes(of: self.storage) { body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }

        mutating func removeAll() { self.count = 0 }
    }
}
