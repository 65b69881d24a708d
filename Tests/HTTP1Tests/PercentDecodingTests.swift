import HTTP1
import Testing

@Suite struct PercentDecodingTests {
    @Test func decodesEscapes() {
        #expect(PercentDecoding.decode("a%20b%2Fc%2fd") == "a b/c/d")
        #expect(PercentDecoding.decode("%C3%A9t%C3%A9") == "été")
        #expect(PercentDecoding.decode("plain") == "plain")
        #expect(PercentDecoding.decode("") == "")
    }

    @Test func plusIsASpaceOnlyWhenAsked() {
        #expect(PercentDecoding.decode("a+b") == "a+b")
        #expect(PercentDecoding.decode("a+b", plusAsSpace: true) == "a b")
        #expect(PercentDecoding.decode("a%2Bb", plusAsSpace: true) == "a+b")
    }

    @Test func invalidEscapesAreNil() {
        for s in ["%", "%2", "a%g0", "%0z", "100%"] {
            #expect(PercentDecoding.decode(s[...]) == nil, "\(s)")
        }
    }

    @Test func invalidUTF8IsNil() {
        #expect(PercentDecoding.decode("%C3") == nil)
        #expect(PercentDecoding.decode("%FF%FE") == nil)
        #expect(PercentDecoding.decode("%ED%A0%80") == nil)  // a UTF-16 surrogate
    }

    @Test func nulDecodes() {
        #expect(PercentDecoding.decode("a%00b") == "a\u{0}b")
    }
}
