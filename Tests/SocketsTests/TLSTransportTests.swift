import Foundation
import Logging
import ServerTesting
import Sockets
import TLS
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Echoes what it reads; `burst` answers with 100 ten-byte writes in one turn; `close` closes.
private final class EchoHandler: ConnectionHandler {
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        if text == "burst" {
            for i in 0..<100 { connection.write(Array(String(format: "chunk-%04d", i).utf8)) }
        } else if text == "close" {
            connection.write(Array("bye".utf8))
            connection.close(mode: .afterFlush)
        } else {
            connection.write(Array(bytes))
        }
    }

    func connectionDeadlinePassed(_ connection: Connection) {}
    func connectionDidClose(_ connection: Connection) {}
}

/// TLS inside `Connection`: handshake before the handler, records out at flush time, timeouts.
@Suite struct TLSTransportTests {
    let certificate: TestCertificate
    let group: EventLoopGroup
    let port: Int

    init() throws {
        self.certificate = try TestCertificate()
        let tls = try TLSContext(certificateFile: self.certificate.certificateFile, keyFile: self.certificate.keyFile)
        var logger = Logger(label: "tls-test")
        logger.logLevel = .warning
        self.group = try EventLoopGroup(threads: 1, logger: logger)
        self.port = try self.group.bind(host: "127.0.0.1", port: 0, tls: tls, tlsHandshakeTimeout: .seconds(1)) { _ in
            EchoHandler()
        }
        self.group.start()
    }

    @Test func echoesPlaintextOverTLS() throws {
        defer { self.group.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: self.port, tls: TLSContext())
        try client.handshake()
        client.send("hello")
        #expect(try client.receive(count: 5) == Array("hello".utf8))
        #expect(client.tls?.negotiatedProtocol == "http/1.1")
    }

    @Test func writesOfOneTurnShareRecords() throws {
        defer { self.group.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: self.port, tls: TLSContext())
        try client.handshake()
        client.send("warm-up")  // the reply comes after TLS 1.3's session tickets
        #expect(try client.receive(count: 7) == Array("warm-up".utf8))
        let before = client.bytesReceived
        client.send("burst")
        let plaintext = try client.receive(count: 1000)
        #expect(plaintext.count == 1000)
        #expect(String(decoding: plaintext.suffix(10), as: UTF8.self) == "chunk-0099")
        // One record costs 22 bytes in TLS 1.3; 100 records would cost 2,200.
        #expect(client.bytesReceived - before < 1000 + 100, "100 writes should become one record")
    }

    @Test func closeAfterFlushSendsCloseNotify() throws {
        defer { self.group.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: self.port, tls: TLSContext())
        try client.handshake()
        client.send("close")
        #expect(try client.receive(count: 10) == Array("bye".utf8))
        #expect(client.sawCloseNotify)
    }

    @Test func stalledHandshakeIsClosedWhileOthersWork() throws {
        defer { self.group.shutdown(gracePeriod: .seconds(1)) }
        let staller = try TestSocket(port: self.port, tls: TLSContext(), timeoutSeconds: 5)
        staller.sendRaw([0x16, 0x03, 0x01])  // the start of a record header, then nothing
        let start = ContinuousClock.now
        let working = try TestSocket(port: self.port, tls: TLSContext())
        try working.handshake()
        working.send("still fine")
        #expect(try working.receive(count: 10) == Array("still fine".utf8))
        #expect(staller.receiveRaw() == nil, "the stalled handshake is closed")
        let waited = ContinuousClock.now - start
        #expect(waited >= .milliseconds(900) && waited < .seconds(3))
    }

    @Test(arguments: ["GET / HTTP/1.1\r\nHost: x\r\n\r\n", "\u{16}\u{3}\u{1}\u{0}\u{5}junk!"])
    func nonTLSIsClosedAtOnce(input: String) throws {
        defer { self.group.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: self.port, tls: TLSContext())
        let start = ContinuousClock.now
        client.sendRaw(Array(input.utf8))
        while client.receiveRaw() != nil {}  // at most an alert, then EOF
        #expect(ContinuousClock.now - start < .milliseconds(500))
    }

    @Test func tls11IsRefused() throws {
        defer { self.group.shutdown(gracePeriod: .seconds(1)) }
        let client = try TestSocket(port: self.port, tls: TLSContext(versions: .tls11 ... .tls11))
        #expect(throws: (any Error).self) { try client.handshake() }
    }
}
