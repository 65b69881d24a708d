import FuzzSupport
import Webinar

@testable import BackchannelServer

/// `LiveClientMessage.parse` on anything a client could put in a text frame. Checked: it returns
/// a message or a refusal with a message to show (never a crash), and what it returns keeps the
/// contract's bounds (a nonce of 1…128 bytes, mute 1…86400 s of an author id of 1…128 bytes, slow mode 0…3600 s,
/// a question state a host can set).
private let target: FuzzTarget = { data, size in
    let bytes = FuzzInput(data, size).rest
    do throws(LiveClientMessage.Invalid) {
        switch try LiveClientMessage.parse(bytes) {
        case .comment(_, _, let nonce, _):
            precondition(!nonce.isEmpty && nonce.utf8.count <= 128, "a nonce of \(nonce.utf8.count) bytes")
        case .questionState(let state, _):
            precondition(state != .open, "a host cannot set a question back to open")
        case .mute(let authorId, let seconds):
            precondition((1...86_400).contains(seconds), "mute for \(seconds) s of \(authorId)")
            precondition(!authorId.isEmpty && authorId.utf8.count <= 128, "mute of a \(authorId.utf8.count)-byte author id")
        case .slowMode(let seconds):
            precondition((0...3600).contains(seconds), "slow mode of \(seconds) s")
        case .moderate(let action, _, let reason):
            precondition(["hide", "pin", "unpin", "approve"].contains(action), "moderation action \(action)")
            if let reason {
                precondition(action == "hide" && Validation.hideReasonLimit.admits(reason), "a hide reason of \(reason.utf8.count) bytes")
            }
        case .join, .like, .ping:
            break
        }
    } catch {
        precondition(!error.message.isEmpty, "a refusal without a message")
        if let nonce = error.nonce { precondition(nonce.utf8.count <= 128, "a refusal echoing a \(nonce.utf8.count)-byte nonce") }
    }
    return 0
}

@_cdecl("fuzz_live_message_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, target)
}
