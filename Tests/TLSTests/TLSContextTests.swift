import Foundation
import TLS
import TestSupport
import Testing

/// Loading certificates and keys: every failure names the file and the reason.
@Suite struct TLSContextTests {
    @Test func mismatchedKeyAndCertificateAreRefused() throws {
        let one = try TestCertificate()
        let other = try TestCertificate()
        let error = try #require(throws: TLSError.self) {
            try TLSContext(certificateFile: one.certificateFile, keyFile: other.keyFile)
        }
        #expect(error.description.contains("does not match"))
        #expect(error.description.contains(other.keyFile))
    }

    @Test func missingFilesAreNamed() throws {
        let one = try TestCertificate()
        let error = try #require(throws: TLSError.self) {
            try TLSContext(certificateFile: "/nonexistent/cert.pem", keyFile: one.keyFile)
        }
        #expect(error.description.contains("cannot read the TLS certificate file /nonexistent/cert.pem"))
    }

    @Test func filesThatAreNotPEMAreRefused() throws {
        let one = try TestCertificate()
        let junk = one.directory.appendingPathComponent("junk.pem").path
        try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: junk))
        let certificateError = try #require(throws: TLSError.self) {
            try TLSContext(certificateFile: junk, keyFile: one.keyFile)
        }
        #expect(certificateError.description.contains("cannot load the TLS certificate chain from \(junk)"))
        let keyError = try #require(throws: TLSError.self) {
            try TLSContext(certificateFile: one.certificateFile, keyFile: junk)
        }
        #expect(keyError.description.contains("cannot load a private key from \(junk)"))
    }

    @Test func aFailedReloadKeepsTheCurrentCertificate() throws {
        let one = try TestCertificate()
        let other = try TestCertificate(commonName: "other")
        let context = try TLSContext(certificateFile: one.certificateFile, keyFile: one.keyFile)
        #expect(throws: TLSError.self) {
            try context.reload(certificateFile: one.certificateFile, keyFile: other.keyFile)
        }
        let pair = try MemoryPair(server: context, client: TLSContext())
        try pair.handshake()
        #expect(pair.client.peerCertificateSubject == "CN=localhost")
    }
}
