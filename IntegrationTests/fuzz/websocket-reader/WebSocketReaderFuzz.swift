import FuzzSupport
import WebSocket

/// `WebSocketReader` on anything: frames in either role, cut into arbitrary reads, under tiny or
/// the server's limits. Checked: no message passes the size limit, text is valid UTF-8, a close
/// code handed up is one a peer may send, a failure names a code we may send, and nothing is
/// read after a close or a failure.
private let target: FuzzTarget = { data, size in
    var input = FuzzInput(data, size)
    let seed = input.byte()
    let mode = input.byte()
    let limits = mode & 1 == 1 ? WebSocketLimits(maxMessageBytes: 256, maxFragments: 4) : WebSocketLimits()
    var reader = WebSocketReader(role: mode & 2 == 2 ? .client : .server, limits: limits)
    var finished = false
    for piece in FuzzInput.pieces(of: input.rest, seed: seed) {
        var bytes = Array(piece)
        do {
            try bytes.withUnsafeMutableBytes { raw in
                try reader.read(raw) { event in
                    precondition(!finished, "an event after the close")
                    check(event, limits: limits)
                    if case .close = event { finished = true }
                }
            }
        } catch let failure as WebSocketFailure {
            precondition(WebSocketCloseCode.isValidOnWire(failure.code.rawValue), "failed with \(failure.code)")
            finished = true
        } catch {
            preconditionFailure("the reader threw \(error)")
        }
    }
    return 0
}

private func check(_ event: WebSocketEvent, limits: WebSocketLimits) {
    switch event {
    case .message(let message):
        precondition(message.bytes.count <= limits.maxMessageBytes, "a \(message.bytes.count)-byte message passed the limit")
        if case .text(let bytes) = message {
            precondition(String(validating: bytes, as: UTF8.self) != nil, "text that is not UTF-8")
        }
    case .ping(let payload), .pong(let payload):
        precondition(payload.count <= 125, "a control frame of \(payload.count) bytes")
    case .close(let code, let reason):
        if let code { precondition(WebSocketCloseCode.isValidOnWire(code), "close code \(code)") }
        precondition(reason.utf8.count <= 123, "a close reason of \(reason.utf8.count) bytes")
    }
}

@_cdecl("fuzz_websocket_reader_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, target)
}
