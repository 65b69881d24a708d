import BackchannelServer
import Dispatch
import Foundation
import Logging

/// The signals `serve` answers: SIGINT/SIGTERM stop it gracefully (within 5 s); SIGHUP reloads the
/// TLS certificate and key for new connections (renewals) without dropping live ones.
///
/// Installed before `serve` says it is listening, so a signal sent as soon as that line appears is
/// never lost (between `SIG_IGN` and a resumed source, a signal would be dropped).
struct ServeSignals {
    private let sources: [any DispatchSourceSignal]
    private let done: AsyncStream<Void>

    static func watch(server: BackchannelServer, logger: Logger) -> ServeSignals {
        for signal in [SIGINT, SIGTERM, SIGHUP] { Foundation.signal(signal, SIG_IGN) }
        let queue = DispatchQueue(label: "backchannel.signals")
        let (done, finished) = AsyncStream<Void>.makeStream()
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangup.setEventHandler {
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
        let once = OnceFlag()
        let stops = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
        for source in stops {
            source.setEventHandler {
                guard once.claim() else { return }
                logger.info("shutting down")
                server.shutdown(gracePeriod: .seconds(4))
                logger.info("stopped")
                finished.yield()
                finished.finish()
            }
        }
        let sources = [hangup] + stops
        for source in sources { source.resume() }
        return ServeSignals(sources: sources, done: done)
    }

    /// Returns once the server has been stopped by SIGINT or SIGTERM.
    func stopped() async {
        for await _ in self.done { break }
        // A released source drops its handler: keep them to the end.
        withExtendedLifetime(self.sources) {}
        for source in self.sources { source.cancel() }
    }
}

/// True exactly once, from any thread.
final class OnceFlag: @unchecked Sendable {
    // Safe: only touched on the serial signal queue.
    private var claimed = false
    func claim() -> Bool {
        if self.claimed { return false }
        self.claimed = true
        return true
    }
}
