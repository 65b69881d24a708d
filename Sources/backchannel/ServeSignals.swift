import BackchannelServer
import CLinux
import Foundation
import Logging

/// The signals `serve` answers: SIGINT/SIGTERM stop it gracefully (within 5 s); SIGHUP reloads the
/// TLS certificate and key for new connections (renewals) without dropping live ones.
///
/// Installed (with sigaction, synchronously) before `serve` says it is listening, so a SIGTERM sent as
/// soon as that line appears is never lost. A Dispatch signal source is armed asynchronously after
/// `signal(SIG_IGN)`, and a signal in between was dropped: a test that stopped a server at once could
/// wait forever.
struct ServeSignals {
    private let done: AsyncStream<Void>

    static func watch(server: BackchannelServer, logger: Logger) -> ServeSignals {
        let (done, finished) = AsyncStream<Void>.makeStream()
        let fd = [SIGINT, SIGTERM, SIGHUP].withUnsafeBufferPointer { clinux_signal_pipe($0.baseAddress, Int32($0.count)) }
        guard fd >= 0 else {
            logger.error("cannot watch for SIGTERM (\(String(cString: strerror(errno)))); stop the server with SIGKILL")
            return ServeSignals(done: done)
        }
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(fd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                guard count == 1 else { return }
                if Int32(byte) == SIGHUP {
                    Self.reload(server, logger: logger)
                    continue
                }
                logger.info("shutting down")
                server.shutdown(gracePeriod: .seconds(4))
                logger.info("stopped")
                finished.yield()
                finished.finish()
                return
            }
        }
        thread.name = "backchannel-signals"
        thread.start()
        return ServeSignals(done: done)
    }

    private static func reload(_ server: BackchannelServer, logger: Logger) {
        guard server.isSecure else {
            logger.info("SIGHUP: no TLS certificate to reload")
            return
        }
        do {
            try server.reloadCertificates()
            logger.notice("SIGHUP: TLS certificate and key reloaded; new connections use them")
        } catch {
            logger.error("SIGHUP: TLS reload failed, keeping the current certificate: \(error)")
        }
    }

    /// Returns once the server has been stopped by SIGINT or SIGTERM.
    func stopped() async {
        for await _ in self.done { break }
    }
}
