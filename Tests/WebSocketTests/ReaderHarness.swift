import Testing

@testable import WebSocket

/// What a reader made of a byte stream: its events and the failure it threw, if any.
struct ReaderOutcome: Equatable, CustomStringConvertible {
    var events: [WebSocketEvent] = []
    var failure: WebSocketFailure?

    /// Short: byte arrays are summarized, so a failing 64 KiB comparison stays readable.
    var description: String {
        let events = self.events.map { event -> String in
            switch event {
            case .message(.text(let bytes)): "text(\(summary(bytes)))"
            case .message(.binary(let bytes)): "binary(\(summary(bytes)))"
            case .ping(let bytes): "ping(\(summary(bytes)))"
            case .pong(let bytes): "pong(\(summary(bytes)))"
            case .close(let code, let reason): "close(\(code.map(String.init) ?? "nil"), \(reason.debugDescription))"
            }
        }
        return
            "events: [\(events.joined(separator: ", "))], failure: \(self.failure.map(String.init(describing:)) ?? "none")"
    }
}

func summary(_ bytes: [UInt8]) -> String {
    let head = bytes.prefix(12).map { String($0, radix: 16) }.joined(separator: " ")
    return bytes.count > 12 ? "\(bytes.count) bytes: \(head) …" : "[\(head)]"
}

/// Feeds `bytes` to a fresh reader in pieces of the given sizes (the rest in one last piece).
func feed(
    _ bytes: [UInt8], pieces: [Int] = [], role: WebSocketRole = .server, limits: WebSocketLimits = .init(),
    inflater: (any WebSocketInflater)? = nil
) -> ReaderOutcome {
    var reader = WebSocketReader(role: role, limits: limits, inflater: inflater)
    return feed(bytes, pieces: pieces, into: &reader)
}

func feed(_ bytes: [UInt8], pieces: [Int] = [], into reader: inout WebSocketReader) -> ReaderOutcome {
    var outcome = ReaderOutcome()
    var start = 0
    var sizes = pieces
    while start < bytes.count || start == 0 {
        let size = sizes.isEmpty ? bytes.count - start : min(sizes.removeFirst(), bytes.count - start)
        var piece = Array(bytes[start..<start + size])
        start += size
        do {
            try piece.withUnsafeMutableBytes { buffer in
                try reader.read(buffer) { outcome.events.append($0) }
            }
        } catch let failure as WebSocketFailure {
            outcome.failure = failure
            return outcome
        } catch {
            Issue.record("unexpected error \(error)")
            return outcome
        }
        if bytes.isEmpty { break }
    }
    return outcome
}

/// Feeds one byte at a time.
func feedByteByByte(_ bytes: [UInt8], role: WebSocketRole = .server, limits: WebSocketLimits = .init()) -> ReaderOutcome {
    feed(bytes, pieces: Array(repeating: 1, count: bytes.count), role: role, limits: limits)
}

/// A client frame as a test client sends it (masked with a fixed key).
func clientFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, rsv1: Bool = false) -> [UInt8] {
    WebSocketFrameEncoder.maskedFrame(opcode, payload: payload, fin: fin, rsv1: rsv1, maskKey: (0x37, 0xFA, 0x21, 0x3D))
}

func clientFrame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> [UInt8] {
    clientFrame(opcode, Array(text.utf8), fin: fin)
}

/// A client frame header written by hand, for headers the encoder would never produce.
func rawHeader(first: UInt8, length: UInt64, masked: Bool = true, lengthBytes: Int? = nil) -> [UInt8] {
    var bytes: [UInt8] = [first]
    let maskBit: UInt8 = masked ? 0x80 : 0
    let width = lengthBytes ?? (length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8)
    switch width {
    case 0: bytes.append(maskBit | UInt8(length))
    case 2: bytes += [maskBit | 126, UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
    default:
        bytes.append(maskBit | 127)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(length >> UInt64(shift) & 0xFF)) }
    }
    if masked { bytes += [1, 2, 3, 4] }
    return bytes
}

/// "Inflates" by copying, recording each call: enough to test how the reader drives an inflater.
final class CopyingInflater: WebSocketInflater {
    var calls: [(bytes: [UInt8], isFinal: Bool)] = []
    var failure: WebSocketFailure?

    func inflate(_ payload: UnsafeRawBufferPointer, isFinal: Bool, limit: Int, into output: inout [UInt8])
        throws(WebSocketFailure)
    {
        self.calls.append((Array(payload), isFinal))
        if let failure = self.failure { throw failure }
        guard output.count + payload.count <= limit else { throw WebSocketFailure(.messageTooBig, "inflated too big") }
        output.append(contentsOf: payload)
    }
}
