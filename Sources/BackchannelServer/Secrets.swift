import COpenSSL
import Foundation
import Webinar

/// Secrets are kept only as SHA-256 hashes and compared in constant time.
enum Secrets {
    static func hash(_ secret: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let bytes = Array(secret.utf8)
        _ = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { SHA256(input.baseAddress, input.count, $0.baseAddress) }
        }
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    static func matches(_ secret: String, hash: String) -> Bool {
        let candidate = Array(self.hash(secret).utf8)
        let expected = Array(hash.utf8)
        guard candidate.count == expected.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<candidate.count { difference |= candidate[i] ^ expected[i] }
        return difference == 0
    }
}
