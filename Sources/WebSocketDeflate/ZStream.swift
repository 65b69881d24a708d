import CZlib

/// A heap-allocated `z_stream`: zlib keeps a pointer back to the stream in its state and checks it
/// on every call, so the struct must never move (a Swift stored property could).
struct ZStream {
    let pointer: UnsafeMutablePointer<z_stream>

    init() {
        self.pointer = .allocate(capacity: 1)
        self.pointer.initialize(to: z_stream())
    }

    /// Frees the struct only; call `deflateEnd`/`inflateEnd` first.
    func deallocate() {
        self.pointer.deinitialize(count: 1)
        self.pointer.deallocate()
    }

    /// Points the stream's input at `bytes` (zlib never writes through `next_in`).
    func setInput(_ bytes: UnsafeRawBufferPointer) {
        self.pointer.pointee.next_in = bytes.baseAddress.map {
            UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
        }
        self.pointer.pointee.avail_in = uInt(bytes.count)
    }

    func setOutput(_ bytes: UnsafeMutableRawBufferPointer) {
        self.pointer.pointee.next_out = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
        self.pointer.pointee.avail_out = uInt(bytes.count)
    }

    /// Drops the pointers into caller memory once a call is done.
    func clearBuffers() {
        self.pointer.pointee.next_in = nil
        self.pointer.pointee.avail_in = 0
        self.pointer.pointee.next_out = nil
        self.pointer.pointee.avail_out = 0
    }

    var availableInput: Int { Int(self.pointer.pointee.avail_in) }
    var availableOutput: Int { Int(self.pointer.pointee.avail_out) }
}

/// The `00 00 ff ff` that ends a sync flush: stripped by the sender, appended by the receiver
/// (RFC 7692 §7.2.1, §7.2.2).
let deflateTail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
