/// The 4-byte key a client masks every frame with (RFC 6455 §5.3): payload byte `i` is XORed with
/// key byte `i % 4`. Kept in wire order, so XORing 8 payload bytes with the key repeated twice works
/// whatever the host's byte order.
struct WebSocketMaskingKey: Hashable, Sendable {
    /// The key bytes in wire order, loaded into an integer in host order.
    private let raw: UInt32

    init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        var raw: UInt32 = 0
        withUnsafeMutableBytes(of: &raw) { bytes in
            bytes[0] = b0
            bytes[1] = b1
            bytes[2] = b2
            bytes[3] = b3
        }
        self.raw = raw
    }

    init(_ bytes: (UInt8, UInt8, UInt8, UInt8)) {
        self.init(bytes.0, bytes.1, bytes.2, bytes.3)
    }

    /// Key byte `index % 4`.
    subscript(index: Int) -> UInt8 {
        withUnsafeBytes(of: self.raw) { $0[index & 3] }
    }

    /// Masks or unmasks `buffer` in place, 8 bytes at a time. `phase` is how many payload bytes came
    /// before `buffer`, so a frame can be unmasked piece by piece as it arrives.
    func apply(to buffer: UnsafeMutableRawBufferPointer, phase: Int) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        var wide: UInt64 = 0
        withUnsafeMutableBytes(of: &wide) { bytes in
            for index in 0..<8 { bytes[index] = self[phase &+ index] }
        }
        var index = 0
        while index &+ 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            base.storeBytes(of: word ^ wide, toByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        while index < count {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            base.storeBytes(of: byte ^ self[phase &+ index], toByteOffset: index, as: UInt8.self)
            index &+= 1
        }
    }
}
