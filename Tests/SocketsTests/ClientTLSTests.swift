import Foundation
import Logging
import Sockets
import Synchronization
import TLS
import TestSupport
import Testing

/// Echoes what it reads, as a TLS server.
private final class ServerEcho: ConnectionHandler {
    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        connection.write(Array(bytes))
    }

    func connectionDeadlinePassed(_ connection: Connection) {}
    func connectionDidClose(_ connection: Connection) {}
}

/// A client handler that writes `greeting` as soon as it exists (before the handshake is done) and
/// records what comes back and how the connection ended.
private final class RecordingClient: ConnectionHandler, @unchecked Sendable {
    struct Seen: Sendable {
        var received: [UInt8] = []
        var handshakeError: String?
        var closed = false
    }

    let greeting: [UInt8]
    let seen = Mutex(Seen())

    init(greeting: String) { self.greeting = Array(greeting.utf8) }

    func attach(_ connection: Connection) -> RecordingClient {
        connection.write(self.greeting)
        return self
    }

    func connectionDidRead(_ connection: Connection, _ bytes: UnsafeMutableRawBufferPointer) {
        self.seen.withLock { $0.received += Array(bytes) }
    }

    func connectionTLSHandshakeFailed(_ connection: Connection, error: TLSError) {
        self.seen.withLock { $0.handshakeError = error.description }
    }

    func connectionDeadlinePassed(_ connection: Connection) {}
    func connectionDidClose(_ connection: Connection) { self.seen.withLock { $0.closed = true } }

    /// Waits until `done` holds, for at most five seconds.
    func wait(until done: (Seen) -> Bool) -> Seen {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let seen = self.seen.withLock { $0 }
            if done(seen) { return seen }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return self.seen.withLock { $0 }
    }
}

/// `EventLoop.connect(tls:)`: a client TLS connection on our own loop against our own TLS listener.
@Suite struct ClientTLSTests {
    let certificate: TestCertificate
    let group: EventLoopGroup
    let port: Int

    init() throws {
        self.certificate = try TestCertificate(commonName: "localhost")
        let tls = try TLSContext(certificateFile: self.certificate.certificateFile, keyFile: self.certificate.keyFile)
        var logger = Logger(label: "client-tls-test")
        logger.logLevel = .warning
        self.group = try EventLoopGroup(threads: 1, logger: logger)
        self.port = try self.group.bind(host: "127.0.0.1", port: 0, tls: tls, tlsHandshakeTimeout: .seconds(2)) { _ in
            ServerEcho()
        }
        self.group.start()
    }

    private func connect(_ client: RecordingClient, context: TLSContext, serverName: String = "localhost") {
        let port = self.port
        let loop = self.group.loops[0]
        loop.execute {
            do {
                try loop.connect(host: "127.0.0.1", port: port, tls: context, serverName: serverName) { client.attach($0) }
            } catch {
                client.seen.withLock { $0.handshakeError = "connect threw: \(error)" }
            }
        }
    }

    @Test(arguments: [TLSVersion.tls12, .tls13])
    func bytesWrittenBeforeTheHandshakeArriveEncrypted(version: TLSVersion) throws {
        defer { self.group.shutdown(gracePeriod: .seconds(1)) }
        let context = try TLSContext(clientTrust: .only(file: self.certificate.certificateFile), versions: version...version)
        let client = RecordingClient(greeting: "hello over tls")
        self.connect(client, context: context)
        let seen = client.wait { $0.received.count >= 14 || $0.closed }
        #expect(seen.handshakeError == nil)
        #expect(String(decoding: seen.received, as: UTF8.self) == "hello over tls")
    }

    @Test func anUntrustedCertificateReachesTheHandlerBeforeTheClose() throws {
        defer { self.group.shutdown(gracePeriod: .seconds(1)) }
        let context = try TLSContext(clientTrust: .system(additionalFile: nil))
        let client = RecordingClient(greeting: "secret")
        self.connect(client, context: context)
        let seen = client.wait { $0.closed }
        #expect(seen.closed)
        #expect(seen.received.isEmpty)
        let error = try #require(seen.handshakeError)
        #expect(error.contains("certificate verify failed (self-signed certificate)"), "\(error)")
    }

    @Test func aCertificateForAnotherHostIsRefused() throws {
        defer { self.group.shutdown(gracePeriod: .seconds(1)) }
        let context = try TLSContext(clientTrust: .only(file: self.certificate.certificateFile))
        let client = RecordingClient(greeting: "secret")
        self.connect(client, context: context, serverName: "stage.example")
        let seen = client.wait { $0.closed }
        #expect(seen.received.isEmpty)
        let error = try #require(seen.handshakeError)
        #expect(error.contains("hostname mismatch"), "\(error)")
    }
}
