public import Foundation

/// A self-signed P-256 certificate and key made with `openssl req` at test time, in a temporary
/// folder that goes away with the value.
public final class TestCertificate: Sendable {
    public let directory: URL
    public let certificateFile: String
    public let keyFile: String

    public init(commonName: String = "localhost") throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        self.certificateFile = self.directory.appendingPathComponent("cert.pem").path
        self.keyFile = self.directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=\(commonName)", "-keyout", self.keyFile, "-out", self.certificateFile,
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl req failed"])
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: self.directory)
    }
}
