import Foundation
import TLS
import TestSupport
import Testing

/// The memory-BIO engine on its own: handshakes, records, versions, close_notify, bad input.
@Suite struct TLSConnectionTests {
    let certificate: TestCertificate
    let server: TLSContext

    init() throws {
        self.certificate = try TestCertificate()
        self.server = try TLSContext(certificateFile: self.certificate.certificateFile, keyFile: self.certificate.keyFile)
    }

    @Test func handshakeNegotiatesTLS13AndALPN() throws {
        let pair = try MemoryPair(server: self.server, client: TLSContext(clientTrusting: self.certificate.certificateFile))
        try pair.handshake()
        #expect(pair.server.isHandshakeComplete && pair.client.isHandshakeComplete)
        #expect(pair.server.protocolVersion == "TLSv1.3")
        #expect(pair.server.negotiatedProtocol == "http/1.1")
        #expect(pair.client.negotiatedProtocol == "http/1.1")
        #expect(pair.client.peerCertificateSubject == "CN=localhost")
    }

    @Test func tls12UsesAModernCipher() throws {
        let pair = try MemoryPair(server: self.server, client: TLSContext(versions: .tls12 ... .tls12))
        try pair.handshake()
        #expect(pair.server.protocolVersion == "TLSv1.2")
        let cipher = try #require(pair.server.cipherName)
        #expect(cipher.hasPrefix("ECDHE-ECDSA-") && (cipher.contains("GCM") || cipher.contains("CHACHA20")))
    }

    @Test func tls11IsRefused() throws {
        let pair = try MemoryPair(server: self.server, client: TLSContext(versions: .tls11 ... .tls11))
        #expect(throws: TLSError.self) { try pair.handshake() }
        #expect(!pair.server.isHandshakeComplete)
    }

    @Test(arguments: [
        Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
        [0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5],
        [UInt8](repeating: 0xFF, count: 300),
    ])
    func nonTLSInputFailsTheHandshake(input: [UInt8]) throws {
        let session = try self.server.makeConnection()
        input.withUnsafeBytes { session.feed($0) }
        #expect(throws: TLSError.self) { try session.handshake() }
    }

    @Test func plaintextRoundTripsInBothDirections() throws {
        let pair = try MemoryPair(server: self.server, client: TLSContext())
        try pair.handshake()
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try big.withUnsafeBytes { try pair.server.writePlaintext($0) }
        // Feed the ciphertext a few bytes at a time, as a slow network would deliver it.
        let ciphertext = pair.server.drainCiphertext()
        #expect(ciphertext.count > big.count)
        var received: [UInt8] = []
        var offset = 0
        while offset < ciphertext.count {
            let end = min(offset + 997, ciphertext.count)
            ciphertext[offset..<end].withUnsafeBytes { pair.client.feed($0) }
            received += try MemoryPair.readAll(pair.client).bytes
            offset = end
        }
        #expect(received == big)
        try Array("hello".utf8).withUnsafeBytes { try pair.client.writePlaintext($0) }
        pair.pump(from: pair.client, to: pair.server)
        #expect(try MemoryPair.readAll(pair.server).bytes == Array("hello".utf8))
    }

    @Test func buffersShrinkAfterABurstAndTheSessionGoesOn() throws {
        let pair = try MemoryPair(server: self.server, client: TLSContext())
        try pair.handshake()
        let big = [UInt8](repeating: 7, count: 1 << 20)
        try big.withUnsafeBytes { try pair.client.writePlaintext($0) }
        pair.pump(from: pair.client, to: pair.server)
        #expect(try MemoryPair.readAll(pair.server).bytes.count == big.count)
        pair.server.compactBuffers()
        try Array("after".utf8).withUnsafeBytes { try pair.server.writePlaintext($0) }
        pair.server.compactBuffers()
        pair.pump(from: pair.server, to: pair.client)
        #expect(try MemoryPair.readAll(pair.client).bytes == Array("after".utf8))
    }

    @Test func shutdownSendsCloseNotify() throws {
        let pair = try MemoryPair(server: self.server, client: TLSContext())
        try pair.handshake()
        try Array("bye".utf8).withUnsafeBytes { try pair.server.writePlaintext($0) }
        pair.server.shutdown()
        pair.pump(from: pair.server, to: pair.client)
        let (bytes, closed) = try MemoryPair.readAll(pair.client)
        #expect(bytes == Array("bye".utf8))
        #expect(closed)
    }

    @Test func reloadAffectsOnlyNewSessions() throws {
        let live = try MemoryPair(server: self.server, client: TLSContext())
        try live.handshake()
        let renewed = try TestCertificate(commonName: "renewed")
        try self.server.reload(certificateFile: renewed.certificateFile, keyFile: renewed.keyFile)
        let fresh = try MemoryPair(server: self.server, client: TLSContext())
        try fresh.handshake()
        #expect(fresh.client.peerCertificateSubject == "CN=renewed")
        #expect(live.client.peerCertificateSubject == "CN=localhost")
        try Array("still here".utf8).withUnsafeBytes { try live.server.writePlaintext($0) }
        live.pump(from: live.server, to: live.client)
        #expect(try MemoryPair.readAll(live.client).bytes == Array("still here".utf8))
    }
}
