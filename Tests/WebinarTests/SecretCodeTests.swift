import Testing
import Webinar

@Suite("SecretCode")
struct SecretCodeTests {
    private let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test func lengthsAndAlphabet() {
        #expect(SecretCode.code().count == 22)
        #expect(SecretCode.generate().count == 22)
        #expect(SecretCode.hostKey().count == 43)
        #expect(SecretCode.authorId().count == 16)
        for _ in 0..<200 {
            #expect(SecretCode.code().allSatisfy(self.alphabet.contains))
            #expect(SecretCode.hostKey().allSatisfy(self.alphabet.contains))
        }
    }

    @Test func uniqueOverTenThousand() {
        let codes = (0..<10_000).map { _ in SecretCode.code() }
        #expect(Set(codes).count == 10_000)
        let ids = (0..<10_000).map { _ in SecretCode.authorId() }
        #expect(Set(ids).count == 10_000)
    }

    @Test func everyCharacterShowsUp() {
        // 64 symbols over 10k × 22 characters: a broken encoder that skips symbols would show here.
        let seen = Set((0..<10_000).flatMap { _ in SecretCode.code().dropLast() })
        #expect(seen == self.alphabet)
    }
}
