import Webinar

/// Secrets the tests use, made by the same code as the server's (`SecretCode.make`), so every run
/// exercises the real format rather than a friendly constant.
public enum TestSecrets {
    public static let adminToken = SecretCode.make(.adminToken)
}
