public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real SMTP server for tests: `IntegrationTests/mail/smtp_server.py` (aiosmtpd) in the venv that `scripts/test`
/// makes, named by `BACKCHANNEL_TEST_MAIL_PYTHON`. Each instance has its own port (bound to 0) and
/// mail folder; `stop()` ends it by its pid, `start()` brings it back on the same port.
public final class TestSMTPServer: @unchecked Sendable {
    // @unchecked: `process` is only replaced by the test thread that owns the server.
    public static let variable = "BACKCHANNEL_TEST_MAIL_PYTHON"

    /// The venv's python, or nil when the mail tests must be skipped.
    public static var python: String? {
        guard let path = ProcessInfo.processInfo.environment[Self.variable], !path.isEmpty else { return nil }
        return path
    }

    public static let scripts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("IntegrationTests/mail")

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let maildir: URL
    public private(set) var port = 0
    /// The script's options; a change applies at the next `start()`.
    public var options: [String]
    private var process: Process?

    /// Starts the server; `options` go to the script (`--tls-cert`, `--auth`, `--reject`, `--tempfail`, …).
    public init(options: [String] = []) throws {
        self.maildir = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.maildir, withIntermediateDirectories: true)
        self.options = options
        try self.start()
    }

    deinit {
        self.stop()
        try? FileManager.default.removeItem(at: self.maildir)
    }

    /// Starts (again): on a free port the first time, on the same port afterwards.
    public func start() throws {
        guard let python = Self.python else { throw Failure(description: "\(Self.variable) is not set") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments =
            [
                Self.scripts.appendingPathComponent("smtp_server.py").path, "--port", String(self.port),
                "--maildir", self.maildir.path,
            ] + self.options
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var line = Data()
        let reader = pipe.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6).prefix { $0.isNumber }) else {
            kill(process.processIdentifier, SIGKILL)
            throw Failure(description: "smtp_server.py did not start: \(text)")
        }
        self.port = port
        self.process = process
    }

    /// SIGTERM and wait: the server is down until `start()`.
    public func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        self.process = nil
    }

    /// The `.eml` files accepted so far, oldest first.
    public func messageFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.maildir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map {
            self.maildir.appendingPathComponent(String($0.dropLast(5)) + ".eml")
        }
    }

    /// Waits until at least `count` messages arrived (or `seconds` passed) and returns them all.
    public func waitForMessages(_ count: Int, seconds: Double = 20) -> [URL] {
        let deadline = Date().addingTimeInterval(seconds)
        while self.messageFiles().count < count && Date() < deadline { usleep(50_000) }
        return self.messageFiles()
    }

    /// The envelope the server recorded beside a message: from, to, tls, auth.
    public func envelope(_ file: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: file.deletingPathExtension().appendingPathExtension("json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Each file as Python's mail parser and icalendar read it (`IntegrationTests/mail/inspect_mail.py`).
    public static func inspect(_ files: [URL]) throws -> [[String: Any]] {
        guard let python = Self.python else { throw Failure(description: "\(Self.variable) is not set") }
        guard !files.isEmpty else { return [] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.scripts.appendingPathComponent("inspect_mail.py").path] + files.map(\.path)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "inspect_mail.py failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }
}
