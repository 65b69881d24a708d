/// One run of the `backchannel` binary to completion: its exit status and what it printed.
public struct CommandRun {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Runs the binary with `arguments` to its exit; past `seconds` it is killed and the test fails
    /// (a command that hangs fails its test instead of stalling the suite).
    public static func backchannel(_ arguments: [String], seconds: Double = 120) throws -> CommandRun {
        try BackchannelProcess.start(arguments).wait(seconds: seconds)
    }
}
