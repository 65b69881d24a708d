import HTTP1
import TestSupport
import Testing

/// Throws garbage and mutated valid requests at the parser for about two seconds: it must never trap,
/// never stall (every call consumes bytes or returns a request), and never hold more than its limits.
@Suite("HTTPRequestParser: random input")
struct HTTPRequestParserFuzzTests {
    static let seeds: [[UInt8]] =
        HTTPRequestParserTests.valid.map { Array($0) }
        + [Array(HTTPRequestParserErrorTests.chunkedHead + "5\r\nhello\r\n0\r\nT: x\r\n\r\n")]
    static let alphabet: [UInt8] = Array(
        "\r\n\r\n :;,0123456789abcdefABCDEF-/ \tHTTP/1.1 GET POST chunked Content-Length".utf8
    )

    @Test func randomBytesAndMutationsNeverCrashOrStall() {
        var rng = SplitMix64(seed: 0xB4C4_C4A7)
        let limits = HTTPParserLimits(
            maxRequestLineBytes: 256,
            maxHeaderBytes: 512,
            maxHeaderCount: 8,
            maxBodyBytes: 256
        )
        let deadline = ContinuousClock.now + .seconds(2)
        var iterations = 0
        var requests = 0
        var errors = 0
        while iterations < 200_000, ContinuousClock.now < deadline {
            iterations += 1
            let input = Self.makeInput(&rng)
            var parser = HTTPRequestParser(limits: iterations.isMultiple(of: 2) ? limits : .init())
            let cuts = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                Int.random(in: 0...max(input.count, 1), using: &rng)
            }
            do {
                var offset = 0
                var bounds = ([0] + cuts.filter { $0 < input.count } + [input.count])
                bounds.sort()
                for (lower, upper) in zip(bounds, bounds.dropFirst()) {
                    offset = max(offset, lower)
                    while offset < upper {
                        let (consumed, request) = try parser.parse(input, offset..<upper)
                        guard consumed > 0 || request != nil else {
                            Issue.record("no progress at \(offset) for \(input)")
                            return
                        }
                        #expect(consumed <= upper - offset)
                        offset += consumed
                        if request != nil { requests += 1 }
                    }
                }
            } catch {
                errors += 1
                #expect([400, 413, 414, 431, 501, 505].contains(error.status.code))
            }
        }
        #expect(iterations > 100)
        #expect(requests > 0 && errors > 0, "the mix exercises both outcomes")
    }

    static func makeInput(_ rng: inout SplitMix64) -> [UInt8] {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:  // pure garbage
            return (0..<Int.random(in: 0...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 1:  // garbage from the grammar's own alphabet
            return (0..<Int.random(in: 0...600, using: &rng)).map { _ in Self.alphabet.randomElement(using: &rng)! }
        default:  // valid requests, pipelined and mutated
            var bytes: [UInt8] = []
            for _ in 0...Int.random(in: 0...2, using: &rng) { bytes += Self.seeds.randomElement(using: &rng)! }
            for _ in 0..<Int.random(in: 0...6, using: &rng) where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: i)
                case 2: bytes.insert(Self.alphabet.randomElement(using: &rng)!, at: i)
                default: bytes.removeLast(Int.random(in: 0...(bytes.count - i), using: &rng))
                }
            }
            return bytes
        }
    }
}
