/// Which server certificates a client context accepts.
///
/// A tool pointed at a real deployment wants the system store; a rehearsal against a staging
/// server with a private CA or a self-signed certificate adds that file; tests that only care
/// about bytes on the wire skip verification.
public enum TLSClientTrust: Sendable, Equatable {
    /// Verify nothing: any certificate, any name.
    case none
    /// The system's CA store (OpenSSL's default verify paths), plus the PEM certificates in
    /// `additionalFile` when one is given.
    case system(additionalFile: String?)
    /// Only the PEM certificates in `file`.
    case only(file: String)

    /// Whether the peer's certificate (and, given a server name, its host name) is checked.
    public var verifiesPeer: Bool { self != .none }
}
