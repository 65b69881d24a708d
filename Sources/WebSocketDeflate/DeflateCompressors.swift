/// One loop's compressors, one per window size, made when first needed (RFC 7692 §7.1.2.1: a
/// client may ask for a smaller window than 15). Not thread-safe: one per loop.
public final class DeflateCompressors {
    public let level: Int
    public let memoryLevel: Int
    private var compressors: [DeflateCompressor?] = Array(repeating: nil, count: 16)

    public init(level: Int = 6, memoryLevel: Int = 8) {
        self.level = level
        self.memoryLevel = memoryLevel
    }

    public convenience init(configuration: PerMessageDeflate.Configuration) {
        self.init(level: configuration.compressionLevel, memoryLevel: configuration.memoryLevel)
    }

    /// The compressor for this window (clamped to 9…15).
    public func compressor(windowBits: Int = 15) -> DeflateCompressor {
        let bits = min(15, max(9, windowBits))
        if let compressor = self.compressors[bits] { return compressor }
        let compressor = DeflateCompressor(windowBits: bits, level: self.level, memoryLevel: self.memoryLevel)
        self.compressors[bits] = compressor
        return compressor
    }
}

@available(*, unavailable)
extension DeflateCompressors: Sendable {}
