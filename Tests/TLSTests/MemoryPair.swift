import TLS

/// A client and a server session wired back to back in memory: no sockets, no threads.
struct MemoryPair {
    let client: TLSConnection
    let server: TLSConnection

    init(server serverContext: TLSContext, client clientContext: TLSContext, serverName: String? = "localhost") throws {
        self.client = try clientContext.makeConnection(serverName: serverName)
        self.server = try serverContext.makeConnection()
    }

    /// Runs the handshake to completion (or throws the side's error).
    func handshake() throws {
        for _ in 0..<10 {
            let clientDone = try self.client.handshake() == .complete
            self.pump(from: self.client, to: self.server)
            let serverDone = try self.server.handshake() == .complete
            self.pump(from: self.server, to: self.client)
            if clientDone && serverDone { return }
        }
        throw TLSError("handshake did not finish")
    }

    /// Moves every pending ciphertext byte from one side to the other.
    func pump(from source: TLSConnection, to destination: TLSConnection) {
        let bytes = source.drainCiphertext()
        bytes.withUnsafeBytes { destination.feed($0) }
    }

    /// Everything `session` can decrypt now.
    static func readAll(_ session: TLSConnection) throws -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let result = try buffer.withUnsafeMutableBytes { try session.readPlaintext(into: $0) }
            switch result {
            case .bytes(let count): out += buffer[0..<count]
            case .wantRead: return (out, false)
            case .closed: return (out, true)
            }
        }
    }
}
