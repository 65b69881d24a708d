import Foundation
import Synchronization

/// Where log lines go. Standard error keeps whole lines in order and never interleaves them; lines
/// that are not urgent (the access log) are gathered and written at most every 100 ms or per 64 KiB,
/// so a busy server pays one write(2) per batch, not per request. An urgent line (everything logged
/// through swift-log) writes what was gathered and itself at once.
public struct LogOutput: Sendable {
    let write: @Sendable ([UInt8], _ urgent: Bool) -> Void

    public init(_ write: @escaping @Sendable ([UInt8], _ urgent: Bool) -> Void) { self.write = write }

    func write(_ line: [UInt8], urgent: Bool) { self.write(line, urgent) }

    public static let standardError: LogOutput = {
        let writer = BatchedWriter(fd: 2)
        return LogOutput { line, urgent in writer.append(line, urgent: urgent) }
    }()
}

/// Gathers lines and writes them to a descriptor in order (the lock is held across the write, so
/// batches never overtake each other). A thread flushes what waits every 100 ms.
final class BatchedWriter: Sendable {
    private let fd: Int32
    private let pending = Mutex<[UInt8]>([])
    static let flushBytes = 64 << 10

    init(fd: Int32) {
        self.fd = fd
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 0.1)
                self.pending.withLock { pending in self.flush(&pending) }
            }
        }
        thread.name = "backchannel-log"
        thread.start()
    }

    func append(_ line: [UInt8], urgent: Bool) {
        self.pending.withLock { pending in
            pending += line
            if urgent || pending.count >= Self.flushBytes { self.flush(&pending) }
        }
    }

    private func flush(_ pending: inout [UInt8]) {
        guard !pending.isEmpty else { return }
        var offset = 0
        while offset < pending.count {
            let written = pending[offset...].withUnsafeBytes { Foundation.write(self.fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { break }  // the descriptor is closed: drop the lines rather than spin
            offset += written
        }
        pending.removeAll(keepingCapacity: true)
    }
}
