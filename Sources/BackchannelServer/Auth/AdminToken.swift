import Foundation
import Webinar

/// The admin bearer token. Only its SHA-256 hash is kept: from `admin.token` (`BACKCHANNEL_ADMIN_TOKEN`)
/// when configured, else in `<data.dir>/admin-token.sha256`, written on the first start with a new
/// token that `serve` prints once, or by `backchannel admin-token reset`.
public enum AdminToken {
    /// Where the token in force came from, for what `serve` says at start.
    public enum Source: Equatable, Sendable {
        /// `admin.token` / `BACKCHANNEL_ADMIN_TOKEN`.
        case configured
        /// The hash saved by an earlier start (or a reset); the token itself is not known here.
        case kept
        /// Made on this start: print it once, it is not stored.
        case generated(String)
    }

    static let fileName = "admin-token.sha256"

    /// The hash to check bearer tokens against, and where it came from.
    static func resolve(configured: String?, dataDirectory: String) throws -> (hash: String, source: Source) {
        if let configured, !configured.isEmpty { return (Secrets.hash(configured), .configured) }
        let file = URL(fileURLWithPath: dataDirectory).appendingPathComponent(Self.fileName)
        if let saved = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            saved.count == 64
        {
            return (saved, .kept)
        }
        let token = try Self.reset(dataDirectory: dataDirectory)
        return (Secrets.hash(token), .generated(token))
    }

    /// Makes a new token, saves its hash in `<dataDirectory>/admin-token.sha256` (mode 0600, replacing
    /// the old one) and returns the token, to be shown once. A running server keeps the hash it read
    /// at start until it restarts.
    public static func reset(dataDirectory: String) throws -> String {
        let directory = URL(fileURLWithPath: dataDirectory)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let token = SecretCode.make(.adminToken)
        let file = directory.appendingPathComponent(Self.fileName)
        try Data((Secrets.hash(token) + "\n").utf8).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return token
    }

    /// The file that keeps the hash, for messages.
    public static func path(dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent(Self.fileName).path
    }
}
