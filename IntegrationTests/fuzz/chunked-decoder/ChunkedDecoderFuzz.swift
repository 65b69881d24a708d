import FuzzSupport

@testable import HTTP1

/// `ChunkedBodyDecoder` on anything, cut into arbitrary reads, under a tiny or the default body
/// limit. Checked: a call consumes at most its input, stops right after the body ends, never
/// lets the body pass the limit, and a refusal carries an error status.
private let target: FuzzTarget = { data, size in
    var input = FuzzInput(data, size)
    let seed = input.byte()
    let limits = input.byte() & 1 == 1 ? HTTPParserLimits(maxBodyBytes: 64) : HTTPParserLimits()
    var decoder = ChunkedBodyDecoder()
    var body: [UInt8] = []
    for piece in FuzzInput.pieces(of: input.rest, seed: seed) {
        let outcome = piece.withUnsafeBytes { raw -> (consumed: Int, done: Bool)? in
            do throws(HTTPParseError) {
                return try decoder.decode(raw, into: &body, limits: limits)
            } catch {
                precondition((400...505).contains(error.status.code), "\(error)")
                return nil
            }
        }
        guard let outcome else { break }
        precondition(outcome.consumed <= piece.count, "consumed \(outcome.consumed) of \(piece.count) bytes")
        precondition(outcome.done || outcome.consumed == piece.count, "stopped early without finishing the body")
        precondition(body.count <= limits.maxBodyBytes, "a body of \(body.count) bytes passed the limit")
        if outcome.done { break }
    }
    return 0
}

@_cdecl("fuzz_chunked_decoder_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, target)
}
