import CLinux
import DequeModule
import Logging
import Synchronization
import TLS

#if canImport(Glibc)
import Glibc
#endif

/// The TLS half of `Connection`: ciphertext in → plaintext to the handler; plaintext queued by
/// the handler → ciphertext out at flush time. Runs only for connections that have a transport.
extension Connection {
    // MARK: Read side

    /// `count` bytes of ciphertext sit at the front of the loop's read buffer. Feeds them to the
    /// session, advances the handshake (making the handler when it completes), then delivers every
    /// whole record as plaintext, decrypted into the same buffer.
    func tlsDidRead(_ tls: TLSTransport, _ buffer: UnsafeMutableRawBufferPointer, count: Int) {
        let session = tls.session
        session.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        if !session.isHandshakeComplete {
            do {
                if try session.handshake() == .inProgress {
                    self.scheduleTLSFlush(tls)
                    return
                }
            } catch {
                self.failHandshake(tls, error)
                return
            }
            self.loop.stats.tlsHandshakesCompleted.add(1, ordering: .relaxed)
            if let factory = tls.pendingHandlerFactory {
                self.clearDeadline()  // the handshake deadline; a client handler keeps its own
                tls.pendingHandlerFactory = nil
                self.handler = factory(self)
            }
            // A client's request may have been queued during the handshake.
            if !self.outbound.isEmpty { self.scheduleTLSFlush(tls) }
        }
        reading: while self.state == .open {
            let result: TLSConnection.ReadResult
            do {
                result = try session.readPlaintext(into: buffer)
            } catch {
                self.loop.logger.debug("TLS read failed", metadata: ["error": "\(error)"])
                self.closeNow()
                return
            }
            switch result {
            case .bytes(let plain):
                self.handler?.connectionDidRead(self, UnsafeMutableRawBufferPointer(rebasing: buffer[0..<plain]))
            case .wantRead:
                break reading
            case .closed:
                self.handler?.connectionDidReadEOF(self)
                break reading
            }
        }
        guard self.state != .closed else { return }
        session.compactBuffers()
        if session.pendingCiphertextCount > 0 { self.scheduleTLSFlush(tls) }
    }

    /// A client connection sends its ClientHello as soon as the socket connects.
    func startClientHandshake(_ tls: TLSTransport) {
        do {
            _ = try tls.session.handshake()
        } catch {
            self.failHandshake(tls, error)
            return
        }
        self.scheduleTLSFlush(tls)
    }

    /// Not TLS (plaintext HTTP, a scanner, an old version) or, for a client, a certificate it
    /// refused: send the alert if there is one, tell the handler (clients have one), close now.
    private func failHandshake(_ tls: TLSTransport, _ error: TLSError) {
        self.loop.stats.tlsHandshakesFailed.add(1, ordering: .relaxed)
        self.loop.logger.debug("TLS handshake failed", metadata: ["error": "\(error)"])
        self.handler?.connectionTLSHandshakeFailed(self, error: error)
        let scratch = self.loop.readBuffer
        let alert = tls.session.drainCiphertext(into: scratch)
        if alert > 0 { _ = Glibc.write(self.fd, scratch.baseAddress, alert) }
        self.closeNow()
    }

    func scheduleTLSFlush(_ tls: TLSTransport) {
        if !self.inFlushList && !self.waitingForWritable {
            self.inFlushList = true
            self.loop.flushList.append(self)
        }
    }

    // MARK: Write side

    /// `flush()` for a TLS connection: sends refused ciphertext first, then encrypts queued
    /// plaintext (a budget at a time) and writes it, until everything is out or the kernel refuses.
    /// On `.closing`, close_notify goes last, then the write side is shut down.
    func flushTLS(_ tls: TLSTransport) {
        let session = tls.session
        while true {
            if !tls.ciphertext.isEmpty {
                guard self.writeQueuedCiphertext(tls) else { return }  // kernel full, or closed
            }
            if session.isHandshakeComplete && !self.outbound.isEmpty {
                do {
                    try self.encryptOutbound(session)
                } catch {
                    self.closeNow()
                    return
                }
            } else if self.state == .closing && !session.isShutdownSent {
                session.shutdown()
            }
            if session.pendingCiphertextCount == 0 { break }
            guard self.writeDrainedCiphertext(tls) else { return }
        }
        session.compactBuffers()
        if self.state == .closing { self.finishClosing() }
        self.notifyDrainedIfRequested()
    }

    /// Encrypts queued plaintext, up to `encryptionBudgetBytes`, gathering small chunks into
    /// records of up to 16 KiB in the loop's scratch buffer.
    private func encryptOutbound(_ session: TLSConnection) throws(TLSError) {
        let scratch = self.loop.readBuffer
        var gathered = 0
        var encrypted = 0
        while let chunk = self.outbound.first, encrypted < TLSTransport.encryptionBudgetBytes {
            let bytes = UnsafeRawBufferPointer(rebasing: chunk.bytes[self.outboundHeadOffset...])
            if gathered + bytes.count <= TLSTransport.recordCoalescingBytes {
                UnsafeMutableRawBufferPointer(rebasing: scratch[gathered...]).copyMemory(from: bytes)
                gathered += bytes.count
            } else {
                if gathered > 0 {
                    try session.writePlaintext(UnsafeRawBufferPointer(rebasing: scratch[0..<gathered]))
                    gathered = 0
                }
                try session.writePlaintext(bytes)
            }
            encrypted += bytes.count
            self.outboundBytes -= bytes.count
            self.outboundHeadOffset = 0
            self.outbound.removeFirst()
        }
        if gathered > 0 { try session.writePlaintext(UnsafeRawBufferPointer(rebasing: scratch[0..<gathered])) }
    }

    /// Writes pending ciphertext straight from the loop's scratch buffer (no allocation); keeps
    /// whatever the kernel refuses as a chunk. False when the caller must stop (refused or closed).
    private func writeDrainedCiphertext(_ tls: TLSTransport) -> Bool {
        let scratch = self.loop.readBuffer
        let count = tls.session.drainCiphertext(into: scratch)
        var written = 0
        while written < count {
            let result: IOResult<Int>
            do {
                result = try syscall("write") { Glibc.write(self.fd, scratch.baseAddress! + written, count - written) }
            } catch {
                self.closeNow()
                return false
            }
            guard case .processed(let n) = result else { break }
            self.loop.bytesWrittenThisTurn &+= n
            self.madeClosingProgress(n)
            written += n
        }
        if written < count {
            let rest = ByteChunk(UnsafeRawBufferPointer(rebasing: scratch[written..<count]))
            tls.ciphertext.append(rest)
            self.outboundBytes += rest.count
            self.waitingForWritable = true
            return false
        }
        return true
    }

    /// Gathers refused ciphertext into one writev. True when all of it went out.
    private func writeQueuedCiphertext(_ tls: TLSTransport) -> Bool {
        let iovecs = self.loop.iovecs
        while !tls.ciphertext.isEmpty {
            var count = 0
            var offset = tls.ciphertextHeadOffset
            for chunk in tls.ciphertext {
                if count == EventLoop.maxIOVecs { break }
                iovecs[count] = iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: chunk.base + offset), iov_len: chunk.count - offset)
                offset = 0
                count += 1
            }
            let result: IOResult<Int>
            do {
                result = try syscall("writev") { writev(self.fd, iovecs, Int32(count)) }
            } catch {
                self.closeNow()
                return false
            }
            guard case .processed(var written) = result else {
                self.waitingForWritable = true
                return false
            }
            self.loop.bytesWrittenThisTurn &+= written
            self.outboundBytes -= written
            self.madeClosingProgress(written)
            while written > 0, let head = tls.ciphertext.first {
                let left = head.count - tls.ciphertextHeadOffset
                if written >= left {
                    written -= left
                    tls.ciphertext.removeFirst()
                    tls.ciphertextHeadOffset = 0
                } else {
                    tls.ciphertextHeadOffset += written
                    written = 0
                }
            }
        }
        return true
    }
}
