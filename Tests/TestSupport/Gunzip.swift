import CZlib

/// Decodes a gzip body the way a browser would (zlib's inflate with gzip framing), so tests check
/// what the server sent against the file on disk rather than trusting the server's own encoder.
public enum Gunzip {
    /// The decoded bytes; nil when `bytes` is not one complete, valid gzip member.
    public static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard czlib_inflateInit2(&stream, 15 + 16) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = bytes
        return input.withUnsafeMutableBufferPointer { inputBuffer -> [UInt8]? in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            while true {
                let code = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[..<(chunk.count - Int(stream.avail_out))])
                if code == Z_STREAM_END { return stream.avail_in == 0 ? output : nil }
                guard code == Z_OK else { return nil }
            }
        }
    }
}
