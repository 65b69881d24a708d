import TestSupport
import Testing

@testable import WebSocket

@Suite struct UTF8ValidatorTests {
    /// Valid sequences at the edges of each length class (Autobahn 6.2, 6.3, 6.5–6.7, 6.11).
    static let valid: [[UInt8]] = [
        [],
        Array("Hello-µ@ßöäüàá-UTF-8!!".utf8),
        Array("κόσμε".utf8),
        [0x00], [0x7F],
        [0xC2, 0x80], [0xDF, 0xBF],  // U+0080, U+07FF
        [0xE0, 0xA0, 0x80], [0xEF, 0xBF, 0xBF],  // U+0800, U+FFFF
        [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],  // U+D7FF, U+E000 around the surrogates
        [0xEF, 0xBF, 0xBE],  // U+FFFE: a noncharacter, still valid UTF-8
        [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],  // U+10000, U+10FFFF
        [0xF3, 0xBF, 0xBF, 0xBF],
    ]

    /// Invalid sequences and the index of the first byte that must be refused (fail fast).
    static let invalid: [(bytes: [UInt8], failsAt: Int)] = [
        ([0x80], 0), ([0xBF], 0), ([0x61, 0x80, 0xBF], 1),  // lone continuation bytes
        ([0xC0, 0x80], 0), ([0xC1, 0xBF], 0),  // 2-byte overlongs
        ([0xE0, 0x80, 0xAF], 1), ([0xE0, 0x9F, 0xBF], 1),  // 3-byte overlongs
        ([0xF0, 0x80, 0x80, 0xAF], 1), ([0xF0, 0x8F, 0xBF, 0xBF], 1),  // 4-byte overlongs
        ([0xF8, 0x88, 0x80, 0x80, 0xAF], 0), ([0xFC, 0x84, 0x80, 0x80, 0x80, 0xAF], 0),  // 5/6-byte forms
        ([0xED, 0xA0, 0x80], 1), ([0xED, 0xAD, 0xBF], 1), ([0xED, 0xBF, 0xBF], 1),  // single surrogates
        ([0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80], 1),  // surrogate pair
        ([0xF4, 0x90, 0x80, 0x80], 1), ([0xF5, 0x80, 0x80, 0x80], 0), ([0xF7, 0xBF, 0xBF, 0xBF], 0),  // > U+10FFFF
        ([0xFE], 0), ([0xFF], 0), ([0xFE, 0xFE, 0xFF, 0xFF], 0),
        ([0xC2, 0x41], 1), ([0xE2, 0x82, 0x41], 2), ([0xF0, 0x9F, 0x98, 0x41], 3),  // truncated, then ASCII
        ([0xC2, 0xC2], 1), ([0xE1, 0x80, 0xE1], 2),  // truncated, then a new lead
        // "κόσμε" then a surrogate: Autobahn 6.4.1's fail-fast vector.
        ([0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64], 12),
    ]

    @Test func validSequences() {
        for bytes in Self.valid {
            var validator = UTF8Validator()
            let accepted1 = validator.validate(bytes)
            #expect(accepted1, "\(bytes)")
            #expect(validator.isAtCharacterBoundary, "\(bytes)")
            #expect(UTF8Validator.isValid(bytes))
        }
    }

    @Test func invalidSequencesFailAtTheFirstBadByte() {
        for (bytes, failsAt) in Self.invalid {
            var validator = UTF8Validator()
            var failedAt: Int?
            for (index, byte) in bytes.enumerated() where !validator.validate([byte]) {
                failedAt = index
                break
            }
            #expect(failedAt == failsAt, "\(bytes)")
            #expect(!UTF8Validator.isValid(bytes), "\(bytes)")
        }
    }

    @Test func staysFailedUntilReset() {
        var validator = UTF8Validator()
        let accepted2 = validator.validate([0xFF])
        #expect(!accepted2)
        let accepted3 = validator.validate(Array("ok".utf8))
        #expect(!accepted3)
        #expect(validator.hasFailed)
        validator.reset()
        let acceptedAgain = validator.validate(Array("ok".utf8))
        #expect(acceptedAgain && validator.isAtCharacterBoundary)
    }

    @Test func truncatedSequenceIsNotAtBoundary() {
        for bytes: [UInt8] in [[0xC2], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x61, 0xED]] {
            var validator = UTF8Validator()
            let accepted4 = validator.validate(bytes)
            #expect(accepted4)
            #expect(!validator.isAtCharacterBoundary, "\(bytes)")
        }
    }

    @Test func codePointSplitAtEveryPosition() {
        let text = Array("a€😀ü\u{10FFFF}z".utf8)
        for split in 0...text.count {
            var validator = UTF8Validator()
            let accepted5 = validator.validate(Array(text[..<split]))
            #expect(accepted5)
            let accepted6 = validator.validate(Array(text[split...]))
            #expect(accepted6)
            #expect(validator.isAtCharacterBoundary)
        }
    }

    @Test func asciiFastPathStopsAtTheBadByte() {
        for position in 0..<40 {
            var bytes = Array(repeating: UInt8(ascii: "x"), count: 40)
            bytes[position] = 0x80
            var validator = UTF8Validator()
            let accepted7 = validator.validate(Array(bytes[..<position]))
            #expect(accepted7)
            let accepted8 = validator.validate(Array(bytes[position...]))
            #expect(!accepted8, "bad byte at \(position)")
        }
    }

    /// Every sequence of up to 3 bytes drawn from interesting bytes, against the standard library.
    @Test func agreesWithStandardLibraryExhaustively() {
        let interesting: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        var sequences: [[UInt8]] = [[]]
        for _ in 0..<3 {
            sequences = sequences.flatMap { prefix in interesting.map { prefix + [$0] } }
            for bytes in sequences {
                let expected = String(validating: bytes, as: UTF8.self) != nil
                #expect(UTF8Validator.isValid(bytes) == expected, "\(bytes)")
            }
        }
    }

    @Test func agreesWithStandardLibraryOnRandomInput() {
        var random = SplitMix64(seed: 42)
        let pieces: [[UInt8]] = [
            Array("abc".utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8), [0x80], [0xED, 0xA0], [0xF4, 0x90],
            [0xC0],
            [0xE2], [0xF0, 0x9F],
        ]
        for _ in 0..<2000 {
            let count = Int.random(in: 0...8, using: &random)
            let bytes = (0..<count).flatMap { _ in pieces.randomElement(using: &random)! }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(UTF8Validator.isValid(bytes) == expected, "\(bytes)")
        }
    }
}
