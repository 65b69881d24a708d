/// What a harness hands libFuzzer: one input in, 0 out (-1 keeps the input out of the corpus).
/// A crash, a failed precondition or an AddressSanitizer report is a finding.
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

// swift-format-ignore: AlwaysUseLowerCamelCase
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzTarget
) -> CInt

/// Runs libFuzzer with the process's arguments (`-max_total_time=60 corpus/`, …) on `target`.
///
/// SwiftPM makes an executable's `main` an alias of `<module>_main`, so each harness defines that
/// function (`@_cdecl`) and calls this instead of relying on libFuzzer's own `main`.
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ target: FuzzTarget
) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, target)
}

/// Reads a fuzz input from the front: a few control bytes, then the rest as data, so one input
/// decides both the bytes and how they are cut into reads.
public struct FuzzInput {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        self.bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    }

    /// The next byte, or 0 once the input is used up.
    public mutating func byte() -> UInt8 {
        guard self.offset < self.bytes.count else { return 0 }
        defer { self.offset += 1 }
        return self.bytes[self.offset]
    }

    /// Everything not yet read.
    public var rest: [UInt8] { Array(self.bytes[min(self.offset, self.bytes.count)...]) }

    /// `data` cut into consecutive pieces of 1…`seed` bytes (seed 0: one piece), as reads from a
    /// socket might deliver it; the pieces' lengths repeat a pattern drawn from `seed`.
    public static func pieces(of data: [UInt8], seed: UInt8) -> [ArraySlice<UInt8>] {
        guard seed > 0, !data.isEmpty else { return [data[...]] }
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        var state = UInt32(seed) &* 2_654_435_761
        while start < data.count {
            state = state &* 1_103_515_245 &+ 12345
            let length = Int(state >> 16) % Int(seed) + 1
            let end = min(data.count, start + length)
            pieces.append(data[start..<end])
            start = end
        }
        return pieces
    }
}
