import Foundation
import Webinar

/// Secrets are kept only as SHA-256 hashes and compared in constant time.
enum Secrets {
    static func hash(_ secret: String) -> String { SecretCode.hash(secret) }

    static func matches(_ secret: String, hash: String) -> Bool {
        let candidate = Array(self.hash(secret).utf8)
        let expected = Array(hash.utf8)
        guard candidate.count == expected.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<candidate.count { difference |= candidate[i] ^ expected[i] }
        return difference == 0
    }
}
