import FuzzSupport
import WebSocket
import WebSocketDeflate

/// permessage-deflate's inflater on anything, two ways (the mode byte chooses):
/// - corrupt or hostile DEFLATE data (bombs, stored blocks, BFINAL in the middle) as the payloads
///   of a few messages, each cut into frame pieces, with any agreed window and context takeover
///   or not: output never passes the limit, and a failure is 1009 (too big) or 1007 (corrupt);
/// - round trip: the data compressed by our compressor, then inflated back, must come out equal.
private let target: FuzzTarget = { data, size in
    var input = FuzzInput(data, size)
    let seed = input.byte()
    let mode = input.byte()
    let windowBits = 9 + Int(mode >> 4) % 7
    let limit = mode & 4 == 4 ? 1024 : 64 << 10
    let inflater = DeflateInflater(windowBits: windowBits, noContextTakeover: mode & 2 == 2)
    let rest = input.rest
    if mode & 1 == 1 {
        roundTrip(rest, windowBits: windowBits, noContextTakeover: mode & 2 == 2, inflater: inflater)
        return 0
    }
    // Messages are separated by 0xFF 0xFE; each is inflated piece by piece, the last piece final.
    var messages: [[UInt8]] = [[]]
    var index = 0
    while index < rest.count {
        if index + 1 < rest.count && rest[index] == 0xFF && rest[index + 1] == 0xFE {
            messages.append([])
            index += 2
        } else {
            messages[messages.count - 1].append(rest[index])
            index += 1
        }
    }
    for message in messages.prefix(8) {
        var output: [UInt8] = []
        let pieces = FuzzInput.pieces(of: message, seed: seed)
        do {
            for (number, piece) in pieces.enumerated() {
                try piece.withUnsafeBytes { raw in
                    try inflater.inflate(raw, isFinal: number == pieces.count - 1, limit: limit, into: &output)
                }
                precondition(output.count <= limit, "inflated \(output.count) bytes past the limit \(limit)")
            }
        } catch let failure as WebSocketFailure {
            precondition(failure.code == .messageTooBig || failure.code == .invalidPayload, "failed with \(failure.code)")
            precondition(output.count <= limit + 1, "inflated \(output.count) bytes before failing at \(limit)")
            return 0  // the connection closes
        } catch {
            preconditionFailure("the inflater threw \(error)")
        }
    }
    return 0
}

private func roundTrip(_ message: [UInt8], windowBits: Int, noContextTakeover: Bool, inflater: DeflateInflater) {
    let compressor = DeflateCompressor(windowBits: windowBits, noContextTakeover: true)
    let compressed = message.withUnsafeBytes { raw in compressor.withCompressed(raw) { $0.map { Array($0) } } }
    guard let compressed else { preconditionFailure("zlib could not compress \(message.count) bytes") }
    var output: [UInt8] = []
    do {
        try compressed.withUnsafeBytes { raw in
            try inflater.inflate(raw, isFinal: true, limit: message.count, into: &output)
        }
    } catch {
        preconditionFailure("our own compressed message failed to inflate: \(error)")
    }
    precondition(output == message, "round trip changed a \(message.count)-byte message")
}

@_cdecl("fuzz_deflate_inflater_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, target)
}
