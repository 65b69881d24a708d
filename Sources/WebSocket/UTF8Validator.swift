/// Incremental UTF-8 validation for text messages (RFC 6455 §8.1) that fails at the first byte that
/// cannot start or continue a well-formed sequence (RFC 3629 §4), even when a code point is split
/// across frames or reads. This "fail fast" is what Autobahn §6.4 checks.
///
/// A DFA over the RFC 3629 grammar, so overlongs (`C0`, `E0 80`, `F0 80`), surrogates (`ED A0`) and
/// code points above U+10FFFF (`F4 90`, `F5`…) are rejected at their second byte at the latest, with
/// a fast path that skips 8 ASCII bytes at a time.
public struct UTF8Validator: Sendable, Equatable {
    private var state: UInt8 = State.accept

    public init() {}

    /// Feeds the next bytes. Returns false at the first invalid byte, and from then on until `reset()`.
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard self.state != State.reject else { return false }
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var state = self.state
        var index = 0
        let table = Self.transitions
        while index < count {
            if state == State.accept {
                // Skip ASCII 8 bytes at a time while between code points.
                while index &+ 8 <= count,
                    base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    index &+= 8
                }
                guard index < count else { break }
            }
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            state = table[Int(state) &<< 8 | Int(byte)]
            if state == State.reject {
                self.state = state
                return false
            }
            index &+= 1
        }
        self.state = state
        return true
    }

    /// Feeds the next bytes of an array.
    public mutating func validate(_ bytes: some Sequence<UInt8>) -> Bool {
        if let result = bytes.withContiguousStorageIfAvailable({ self.validate(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        let array = Array(bytes)
        return array.withUnsafeBytes { self.validate($0) }
    }

    /// True between code points: a text message may end only here (RFC 6455 §8.1).
    public var isAtCharacterBoundary: Bool { self.state == State.accept }

    /// True once an invalid byte has been seen.
    public var hasFailed: Bool { self.state == State.reject }

    public mutating func reset() { self.state = State.accept }

    /// Whole-buffer convenience: valid and complete.
    public static func isValid(_ bytes: some Sequence<UInt8>) -> Bool {
        var validator = UTF8Validator()
        return validator.validate(bytes) && validator.isAtCharacterBoundary
    }
}

extension UTF8Validator {
    /// DFA states. `tail1…tail3` wait for that many `80–BF` bytes; the others allow the narrower second
    /// byte ranges of RFC 3629 §4 that exclude overlongs, surrogates and values above U+10FFFF.
    enum State {
        static let accept: UInt8 = 0
        static let tail1: UInt8 = 1
        static let tail2: UInt8 = 2
        static let tail3: UInt8 = 3
        static let afterE0: UInt8 = 4  // A0–BF, then 1 tail
        static let afterED: UInt8 = 5  // 80–9F, then 1 tail
        static let afterF0: UInt8 = 6  // 90–BF, then 2 tails
        static let afterF4: UInt8 = 7  // 80–8F, then 2 tails
        static let reject: UInt8 = 8
    }

    static func step(_ state: UInt8, _ byte: UInt8) -> UInt8 {
        switch state {
        case State.accept:
            switch byte {
            case 0x00...0x7F: State.accept
            case 0xC2...0xDF: State.tail1
            case 0xE0: State.afterE0
            case 0xE1...0xEC, 0xEE...0xEF: State.tail2
            case 0xED: State.afterED
            case 0xF0: State.afterF0
            case 0xF1...0xF3: State.tail3
            case 0xF4: State.afterF4
            default: State.reject  // 80–C1 (stray tail or overlong lead), F5–FF
            }
        case State.tail1, State.tail2, State.tail3:
            (0x80...0xBF).contains(byte) ? state - 1 : State.reject
        case State.afterE0: (0xA0...0xBF).contains(byte) ? State.tail1 : State.reject
        case State.afterED: (0x80...0x9F).contains(byte) ? State.tail1 : State.reject
        case State.afterF0: (0x90...0xBF).contains(byte) ? State.tail2 : State.reject
        case State.afterF4: (0x80...0x8F).contains(byte) ? State.tail2 : State.reject
        default: State.reject
        }
    }

    /// `step` flattened into a table indexed by `state << 8 | byte`.
    static let transitions: [UInt8] = {
        var table = [UInt8](repeating: State.reject, count: 9 << 8)
        for state in 0..<UInt8(9) {
            for byte in 0...UInt8.max {
                table[Int(state) << 8 | Int(byte)] = step(state, byte)
            }
        }
        return table
    }()
}
