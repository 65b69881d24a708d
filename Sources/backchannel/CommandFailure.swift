/// An admin command that cannot do what was asked: printed as "backchannel: …", then the exit status
/// of its kind (README: Exit status).
struct CommandFailure: Error, CustomStringConvertible {
    enum Kind {
        /// A flag or value that can never work (a malformed slug, a time that is not RFC 3339): status 2.
        case badInput
        /// The input was fine but the command failed (an unknown slug, a slug already taken, a database
        /// that cannot be opened): status 1.
        case failed
    }

    let kind: Kind
    let description: String

    static func badInput(_ description: String) -> CommandFailure { CommandFailure(kind: .badInput, description: description) }
    static func failed(_ description: String) -> CommandFailure { CommandFailure(kind: .failed, description: description) }

    var exitStatus: Int32 { self.kind == .badInput ? 2 : 1 }
}
