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

    /// The admin token's hash: from configuration, else from `<data>/admin-token.sha256`, else a new
    /// token whose hash is saved there. Returns the new token too, to be printed once.
    static func adminTokenHash(configured: String?, dataDirectory: String) throws -> (hash: String, generated: String?) {
        if let configured, !configured.isEmpty { return (self.hash(configured), nil) }
        let directory = URL(fileURLWithPath: dataDirectory)
        let file = directory.appendingPathComponent("admin-token.sha256")
        if let saved = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            saved.count == 64
        {
            return (saved, nil)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let token = SecretCode.make(.adminToken)
        let hash = self.hash(token)
        try Data((hash + "\n").utf8).write(to: file, options: .atomic)
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return (hash, token)
    }
}
