import BackchannelServer
import Foundation
import ServerTesting
import TLS
import TestSupport
import Testing

/// `backchannel rehearse` against a real TLS server (`https://`, `wss://`): a small rehearsal that
/// must pass when the self-signed certificate is trusted with `--ca-file`, and fail fast, naming
/// the certificate check, when it is not or when the URL names another host than the certificate.
@Suite(.serialized) struct RehearseTLSTests {
    let certificate: TestCertificate
    let server: TestServer

    init() throws {
        let certificate = try TestCertificate(commonName: "localhost")
        self.certificate = certificate
        self.server = try TestServer {
            $0.tlsCertificateFile = certificate.certificateFile
            $0.tlsKeyFile = certificate.keyFile
        }
    }

    @Test func smallRehearsalOverTLSIsReady() throws {
        defer { self.server.stop() }
        let hostKey = try Self.createEvent(port: self.server.port, slug: "tls-rehearsal", capacity: 20)
        let run = try BackchannelProcess.start(
            Self.arguments(url: "https://localhost:\(self.server.port)", slug: "tls-rehearsal", hostKey: hostKey)
                + ["--ca-file", self.certificate.certificateFile, "--json"])
        let result = try run.wait(seconds: 90)
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        try RehearseReadyReport.expect(
            result.stdout, ticketed: 20, waitlisted: 10, attendees: 10, viewers: 20, minimumSent: 15)  // about 4/s for 5 s
    }

    @Test func anUntrustedCertificateFailsFastAndSaysWhy() throws {
        defer { self.server.stop() }
        let hostKey = try Self.createEvent(port: self.server.port, slug: "untrusted", capacity: 20)
        let started = Date()
        let run = try BackchannelProcess.start(
            Self.arguments(url: "https://localhost:\(self.server.port)", slug: "untrusted", hostKey: hostKey))
        let result = try run.wait(seconds: 60)
        #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 15, "fails before joining or commenting")
        #expect(result.stdout.contains("NOT READY"))
        #expect(
            result.stdout.contains("TLS handshake with localhost failed: certificate verify failed (self-signed certificate)"),
            "\(result.stdout)")
        #expect(result.stdout.contains("--ca-file"))
    }

    @Test func aCertificateForAnotherNameIsRefused() throws {
        defer { self.server.stop() }
        let hostKey = try Self.createEvent(port: self.server.port, slug: "mismatch", capacity: 20)
        // Trusted, but issued to `localhost`, not to the address the URL names.
        let run = try BackchannelProcess.start(
            Self.arguments(url: "https://127.0.0.1:\(self.server.port)", slug: "mismatch", hostKey: hostKey)
                + ["--ca-file", self.certificate.certificateFile])
        let result = try run.wait(seconds: 60)
        #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("TLS handshake with 127.0.0.1 failed: certificate verify failed"), "\(result.stdout)")
        #expect(result.stdout.contains("mismatch"), "\(result.stdout)")
    }

    @Test func caFileOnPlainHTTPIsABadFlag() throws {
        defer { self.server.stop() }
        let run = try BackchannelProcess.start(
            ["rehearse", "--url", "http://127.0.0.1:1", "--event", "x", "--ca-file", self.certificate.certificateFile])
        let result = try run.wait(seconds: 30)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--ca-file"), "\(result.stderr)")
    }

    static func arguments(url: String, slug: String, hostKey: String) -> [String] {
        [
            "rehearse", "--url", url, "--event", slug, "--registrants", "30", "--attendees", "10", "--viewers", "20",
            "--rate", "4", "--duration", "5", "--drain", "5", "--host-key", hostKey, "--threads", "2", "--no-progress",
        ]
    }

    /// Creates an event over TLS as an admin would; returns its host key.
    static func createEvent(port: Int, slug: String, capacity: Int) throws -> String {
        let body = try JSONSerialization.data(withJSONObject: [
            "slug": slug, "title": "Launch \(slug)", "startsAt": "2026-11-28T14:00:00Z", "capacity": capacity,
        ])
        let client = try TestSocket(port: port, tls: TLSContext())
        try client.handshake()
        client.send(
            "POST /api/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer \(Fixture.adminToken)\r\nContent-Length: \(body.count)\r\n\r\n"
                + String(decoding: body, as: UTF8.self))
        let answer = try client.readResponse()
        guard answer.status == 201, let key = try answer.json()["hostKey"] as? String else {
            throw TestSocket.Failure(description: "event not created: \(answer.status) \(answer.text)")
        }
        return key
    }
}
