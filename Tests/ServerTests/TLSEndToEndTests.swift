import BackchannelServer
import Foundation
import ServerTesting
import TLS
import TestSupport
import Testing
import WebSocket

/// HTTPS and wss:// through the whole server, with real clients (Python's ssl, `openssl s_client`)
/// and this package's own `TLSConnection` in client mode.
@Suite struct TLSEndToEndTests {
    let certificate: TestCertificate
    let server: TestServer

    init() throws {
        let certificate = try TestCertificate()
        self.certificate = certificate
        self.server = try TestServer {
            $0.tlsCertificateFile = certificate.certificateFile
            $0.tlsKeyFile = certificate.keyFile
            $0.echoEnabled = true
        }
    }

    @Test func httpsGetWithPythonSSL() throws {
        defer { self.server.stop() }
        let script = """
            import socket, ssl, sys
            context = ssl.create_default_context(cafile=sys.argv[2])
            context.set_alpn_protocols(["http/1.1"])
            with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    tls.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n")
                    data = b""
                    while True:
                        chunk = tls.recv(65536)  # raises SSLEOFError unless the server sent close_notify
                        if not chunk:
                            break
                        data += chunk
                    print(tls.version(), tls.selected_alpn_protocol())
                    print(data.decode())
            """
        let output = try run("/usr/bin/env", ["python3", "-c", script, "\(self.server.port)", self.certificate.certificateFile])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("TLSv1.3 http/1.1\n"))
        #expect(output.stdout.contains("HTTP/1.1 200 OK"))
        #expect(output.stdout.hasSuffix("\r\n\r\nok\n"))
    }

    @Test func httpsGetWithOpenSSLSClient() throws {
        defer { self.server.stop() }
        let output = try run(
            "/usr/bin/env",
            [
                "timeout", "10", "openssl", "s_client", "-connect", "127.0.0.1:\(self.server.port)", "-servername", "localhost",
                "-alpn", "http/1.1", "-CAfile", self.certificate.certificateFile, "-verify_return_error", "-quiet",
            ],
            input: "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(output.stdout.hasSuffix("\r\n\r\nok"))
    }

    @Test func wssEchoesSmallAndLargeMessages() throws {
        defer { self.server.stop() }
        let socket = try TLSWebSocket.open(port: self.server.port, trusting: self.certificate.certificateFile)
        socket.send(.text, Array("hello over wss".utf8))
        #expect(socket.receiveMessage() == .text(Array("hello over wss".utf8)))
        let large = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        socket.send(.binary, large)
        #expect(socket.receiveMessage() == .binary(large))
    }

    @Test func plaintextHTTPOnTheTLSPortIsClosedPromptly() throws {
        defer { self.server.stop() }
        let socket = try TestSocket(port: self.server.port)
        let start = ContinuousClock.now
        socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(socket.waitForClose())
        #expect(ContinuousClock.now - start < .milliseconds(500))
        #expect(!socket.buffer.starts(with: Array("HTTP".utf8)), "no plaintext answer on a TLS port")
    }

    @Test func reloadServesTheNewCertificateWithoutDroppingLiveConnections() throws {
        defer { self.server.stop() }
        let live = try TLSWebSocket.open(port: self.server.port, trusting: nil)
        let renewed = try TestCertificate(commonName: "renewed.example")
        try FileManager.default.removeItem(atPath: self.certificate.certificateFile)
        try FileManager.default.removeItem(atPath: self.certificate.keyFile)
        try FileManager.default.copyItem(atPath: renewed.certificateFile, toPath: self.certificate.certificateFile)
        try FileManager.default.copyItem(atPath: renewed.keyFile, toPath: self.certificate.keyFile)
        try self.server.server.reloadCertificates()

        let fresh = try TestSocket(port: self.server.port, tls: TLSContext())
        try fresh.handshake()
        #expect(fresh.tls?.peerCertificateSubject == "CN=renewed.example")
        live.send(.text, Array("still open".utf8))
        #expect(live.receiveMessage() == .text(Array("still open".utf8)))
        #expect(live.socket.tls?.peerCertificateSubject == "CN=localhost")
    }

    @Test func aMismatchedKeyFailsAtStartWithAClearMessage() throws {
        defer { self.server.stop() }
        let other = try TestCertificate()
        let error = #expect(throws: (any Error).self) {
            _ = try TestServer {
                $0.tlsCertificateFile = self.certificate.certificateFile
                $0.tlsKeyFile = other.keyFile
            }
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("does not match the certificate"))
    }
}

/// A WebSocket client over TLS to the echo route.
private enum TLSWebSocket {
    static func open(port: Int, trusting certificateFile: String?) throws -> TestWebSocket {
        let socket = try TestSocket(port: port, tls: TLSContext(clientTrusting: certificateFile))
        try socket.handshake()
        return try TestWebSocket(socket: socket, path: "/echo", host: "localhost")
    }
}

/// Runs a tool to completion with optional standard input.
private func run(_ path: String, _ arguments: [String], input: String? = nil) throws
    -> (status: Int32, stdout: String, stderr: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}
