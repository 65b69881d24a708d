/// Bad input to an admin command (an invalid field, an unknown slug): printed, then exit status 2.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}
