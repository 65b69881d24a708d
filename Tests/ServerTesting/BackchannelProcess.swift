public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The `backchannel` binary running in a child process, its output read as it comes.
public final class BackchannelProcess {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    private let process: Process
    private let stdout: ReadAll
    private let stderr: ReadAll

    private init(process: Process, stdout: ReadAll, stderr: ReadAll) {
        self.process = process
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Starts the binary (`ServerProcess.binary()`) with `arguments`; `environment` adds to this process's.
    public static func start(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> BackchannelProcess
    {
        let process = Process()
        process.executableURL = try ServerProcess.binary()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return BackchannelProcess(process: process, stdout: ReadAll(out), stderr: ReadAll(err))
    }

    /// SIGKILL, if still running.
    public func kill() {
        guard self.process.isRunning else { return }
        Glibc.kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    /// Waits for the exit; past `seconds` the process is killed and the test fails.
    public func wait(seconds: Double) throws -> CommandRun {
        let deadline = Date().addingTimeInterval(seconds)
        while self.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if self.process.isRunning {
            self.kill()
            throw Failure(description: "backchannel ran past \(seconds) s; stderr: \(self.stderr.text)")
        }
        self.process.waitUntilExit()
        return CommandRun(status: self.process.terminationStatus, stdout: self.stdout.text, stderr: self.stderr.text)
    }

    /// Everything a pipe delivers, read on its own thread so the child never blocks on a full pipe.
    final class ReadAll: Sendable {
        private let data = Mutex(Data())
        private let done = DispatchSemaphore(value: 0)

        init(_ pipe: Pipe) {
            let handle = pipe.fileHandleForReading
            Thread { [self] in
                let all = handle.readDataToEndOfFile()
                self.data.withLock { $0 = all }
                self.done.signal()
            }.start()
        }

        var text: String {
            _ = self.done.wait(timeout: .now() + 10)
            return String(decoding: self.data.withLock { $0 }, as: UTF8.self)
        }
    }
}
