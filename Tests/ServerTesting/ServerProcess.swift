public import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The real `backchannel` binary running `serve` in a child process, for tests that must kill it.
public final class ServerProcess: Sendable {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    public static let adminToken = TestSecrets.adminToken

    public let process: Process
    public let port: Int
    private let output: Shared<String>

    /// The binary: `$BACKCHANNEL_BINARY`, else `backchannel` beside the test bundle, else the newest
    /// `.build*/debug/backchannel` in the package. Throws a message saying how to build it when none exists.
    public static func binary() throws -> URL {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["BACKCHANNEL_BINARY"], !path.isEmpty {
            guard fileManager.isExecutableFile(atPath: path) else {
                throw Failure(description: "BACKCHANNEL_BINARY=\(path) is not an executable file")
            }
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for directory in [bundle.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()] {
            candidates.append(directory.appendingPathComponent("backchannel"))
        }
        let root = PackagePaths.root
        for name in (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? [] where name.hasPrefix(".build") {
            candidates.append(root.appendingPathComponent(name).appendingPathComponent("debug/backchannel"))
        }
        let existing = candidates.filter { fileManager.isExecutableFile(atPath: $0.path) }
        // Beside the test bundle wins (built with these tests); else the most recently built one.
        if let first = existing.first, first.deletingLastPathComponent() == candidates[0].deletingLastPathComponent() {
            return first
        }
        let newest = existing.max { modified($0) < modified($1) }
        guard let newest else {
            throw Failure(
                description: """
                    The backchannel binary was not found (looked at \(candidates.map(\.path).joined(separator: ", "))). \
                    Build it first: swift build --scratch-path .build-reg --product backchannel, \
                    or set BACKCHANNEL_BINARY to its path.
                    """)
        }
        return newest
    }

    private static func modified(_ url: URL) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// Starts `backchannel serve --port 0` on `dataDirectory` and waits for its "listening on http://" line.
    /// `environment` adds `BACKCHANNEL_*` settings (and may replace the admin token). `arguments` go
    /// after the usual ones (a later flag wins, e.g. `--log-format json`). `descriptorLimit` starts it
    /// with that many file descriptors at most (soft and hard `RLIMIT_NOFILE`, via the shell's
    /// `ulimit -n`, then `exec`, so the pid is the server's).
    public init(
        dataDirectory: URL, staticDirectory: String = PackagePaths.staticDirectory, environment extra: [String: String] = [:],
        arguments extraArguments: [String] = [], descriptorLimit: Int? = nil
    ) throws {
        let process = Process()
        let binary = try Self.binary()
        let arguments =
            [
                "serve", "--host", "127.0.0.1", "--port", "0", "--threads", "2",
                "--data-dir", dataDirectory.path, "--static-dir", staticDirectory, "--log-level", "info",
            ] + extraArguments
        if let descriptorLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["BACKCHANNEL_ADMIN_TOKEN"] = Self.adminToken
        // Tests register crowds from 127.0.0.1; a test of the throttle passes its own limit.
        environment["BACKCHANNEL_REGISTRATION_RATE_LIMIT"] = "1000000"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        // No config/backchannel.json here: only the flags and the token above apply.
        process.currentDirectoryURL = dataDirectory.deletingLastPathComponent()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = Shared("")
        let listening = DispatchSemaphore(value: 0)
        let port = Shared<Int?>(nil)
        // Keep draining the pipe for the life of the process, so logging can never block the server.
        let reader = pipe.fileHandleForReading
        let thread = Thread {
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                let text = output.update { all -> String in
                    all += String(decoding: data, as: UTF8.self)
                    return all
                }
                if port.value == nil, let found = Self.listeningPort(in: text) {
                    port.update { $0 = found }
                    listening.signal()
                }
            }
            listening.signal()
        }
        try process.run()
        thread.start()
        self.process = process
        self.output = output
        guard listening.wait(timeout: .now() + 30) == .success, let bound = port.value else {
            kill(process.processIdentifier, SIGKILL)
            throw Failure(description: "backchannel did not log \"listening on http://\" within 30 s; output:\n\(output.value)")
        }
        self.port = bound
    }

    public static func listeningPort(in text: String) -> Int? {
        guard let range = text.range(of: "listening on http://") else { return nil }
        let rest = text[range.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let digits = rest[rest.index(after: colon)...].prefix { $0.isNumber }
        // The line must be complete (digits followed by something) before the port is trusted.
        guard !digits.isEmpty, digits.endIndex < rest.endIndex else { return nil }
        return Int(digits)
    }

    public var log: String { self.output.value }

    /// CPU time the server has used so far (user + system), in seconds.
    public var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(self.process.processIdentifier)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The server's resident memory (VmRSS), KiB; 0 once it has gone.
    public var residentKiB: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(self.process.processIdentifier)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    /// `kill -9`: no shutdown, no flush, nothing.
    public func killHard() {
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    /// Sends `signal` and waits up to `seconds` for the exit; false (and a SIGKILL) if it did not come.
    public func signal(_ signal: Int32, exitWithin seconds: Double) -> Bool {
        kill(self.process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(seconds)
        while self.process.isRunning && Date() < deadline { usleep(10_000) }
        guard !self.process.isRunning else {
            self.killHard()
            return false
        }
        self.process.waitUntilExit()
        return true
    }

    /// SIGTERM and wait: the normal stop.
    public func stop() {
        guard self.process.isRunning else { return }
        kill(self.process.processIdentifier, SIGTERM)
        self.process.waitUntilExit()
    }
}
