import Foundation
import Testing
import Webinar

@Suite("SecretCode")
struct SecretCodeTests {
    private let base62 = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    private let base64url = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test(arguments: [
        (SecretCode.Kind.adminToken, "bch_admin_", 43), (.hostKey, "bch_host_", 43), (.ticketCode, "bch_t_", 22),
    ])
    func everySecretHasItsPrefixThenLettersAndDigits(kind: SecretCode.Kind, prefix: String, length: Int) {
        for _ in 0..<2000 {
            let secret = SecretCode.make(kind)
            #expect(secret.hasPrefix(prefix))
            #expect(!secret.hasPrefix("-"), "a command line would read it as a flag")
            let random = secret.dropFirst(prefix.count)
            #expect(random.count == length)
            #expect(random.allSatisfy(self.base62.contains), "\(secret)")
            #expect(SecretCode.looksLike(secret, kind: kind))
        }
    }

    @Test func theScannerPatternFindsEveryKindAndNothingShorter() throws {
        let pattern = try NSRegularExpression(pattern: SecretCode.secretPattern)
        func found(_ text: String) -> Bool {
            pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        for kind in SecretCode.Kind.allCases {
            #expect(found("leaked: \(SecretCode.make(kind)) oops"), "\(kind)")
            #expect(!found(String(SecretCode.make(kind).dropLast(2))))
        }
    }

    @Test func kindsAreToldApart() {
        #expect(!SecretCode.looksLike(SecretCode.make(.hostKey), kind: .adminToken))
        #expect(!SecretCode.looksLike(SecretCode.make(.ticketCode), kind: .hostKey))
        #expect(!SecretCode.looksLike("bch_t_" + String(repeating: "-", count: 22), kind: .ticketCode))
        #expect(!SecretCode.looksLike("Abc-legacy-key", kind: .hostKey))
    }

    @Test func authorIdsAreBase64url() {
        for _ in 0..<200 {
            let id = SecretCode.authorId()
            #expect(id.count == 16)
            #expect(id.allSatisfy(self.base64url.contains))
        }
    }

    @Test func uniqueOverTenThousand() {
        let codes = (0..<10_000).map { _ in SecretCode.make(.ticketCode) }
        #expect(Set(codes).count == 10_000)
        let ids = (0..<10_000).map { _ in SecretCode.authorId() }
        #expect(Set(ids).count == 10_000)
    }

    @Test func everyCharacterShowsUpAboutEvenly() {
        // 62 symbols over 10k × 22 characters (~3,550 each): a broken encoder that skips or favours
        // symbols (a plain `byte % 62` would give the first 8 a quarter more) shows here.
        var counts: [Character: Int] = [:]
        for _ in 0..<10_000 {
            for character in SecretCode.make(.ticketCode).dropFirst(6) { counts[character, default: 0] += 1 }
        }
        #expect(Set(counts.keys) == self.base62)
        let expected = 220_000.0 / 62
        for (character, count) in counts {
            #expect(abs(Double(count) - expected) < expected * 0.1, "\(character): \(count)")
        }
    }

    @Test func base64urlStillEncodesAuthorIds() {
        #expect(SecretCode.generate(byteCount: 3).count == 4)
        #expect(SecretCode.generate(byteCount: 16).count == 22)
    }
}
