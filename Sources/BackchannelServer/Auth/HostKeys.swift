import Webinar

/// Host keys for tools outside the server (the `backchannel event create` command): made and hashed
/// exactly as `POST /api/events` does, so a key printed by the CLI works over HTTP.
public enum HostKeys {
    /// A fresh host key (256 random bits, URL-safe) and the hash to store for it.
    public static func generate() -> (key: String, hash: String) {
        let key = SecretCode.make(.hostKey)
        return (key, Secrets.hash(key))
    }

    /// The stored form of a key: hex SHA-256, the same as the server checks against.
    public static func hash(_ key: String) -> String { Secrets.hash(key) }
}
