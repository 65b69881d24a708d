import Testing
import Webinar

@testable import BackchannelServer

/// What the live endpoint makes of each client message before any room sees it.
@Suite struct LiveClientMessageTests {
    static func parse(_ json: String) -> Result<LiveClientMessage, LiveClientMessage.Invalid> {
        do throws(LiveClientMessage.Invalid) {
            return .success(try LiveClientMessage.parse(Array(json.utf8)))
        } catch {
            return .failure(error)
        }
    }

    /// The refusal's message (and nonce), or nil when the message parsed.
    static func refusal(_ json: String) -> (message: String, nonce: String?)? {
        if case .failure(let invalid) = Self.parse(json) { (invalid.message, invalid.nonce) } else { nil }
    }

    @Test func wellFormedMessagesParse() {
        guard case .success(.join(let ticket, nil, let since)) = Self.parse(#"{"type":"join","ticket":"T","since":12}"#) else {
            Issue.record("join did not parse")
            return
        }
        #expect(ticket == "T" && since == 12)
        guard
            case .success(.comment(let text, let replyTo, let nonce, .comment)) = Self.parse(
                #"{"type":"comment","text":"hi","replyTo":3,"nonce":"n1"}"#)
        else {
            Issue.record("comment did not parse")
            return
        }
        #expect(text == "hi" && replyTo == 3 && nonce == "n1")
        guard case .success(.comment(_, _, _, .question)) = Self.parse(#"{"type":"comment","text":"why?","nonce":"q","kind":"question"}"#),
            case .success(.questionState(.answering, 5)) = Self.parse(#"{"type":"answering","commentId":5}"#),
            case .success(.questionState(.answered, 5)) = Self.parse(#"{"type":"answered","commentId":5}"#),
            case .success(.questionState(.dismissed, 6)) = Self.parse(#"{"type":"dismiss","commentId":6}"#)
        else {
            Issue.record("a question or a question state did not parse")
            return
        }
        guard case .success(.moderate("hide", 4, "spam")) = Self.parse(#"{"type":"hide","commentId":4,"reason":"spam"}"#) else {
            Issue.record("hide did not parse")
            return
        }
        guard case .success(.mute("a1", 60)) = Self.parse(#"{"type":"mute","authorId":"a1","seconds":60}"#),
            case .success(.slowMode(0)) = Self.parse(#"{"type":"slowmode","seconds":0}"#),
            case .success(.like(7)) = Self.parse(#"{"type":"like","commentId":7}"#),
            case .success(.ping) = Self.parse(#"{"type":"ping"}"#)
        else {
            Issue.record("mute, slowmode, like or ping did not parse")
            return
        }
    }

    @Test func badShapesAreRefusedWithASentenceAndTheNonceWhenThereIsOne() {
        #expect(Self.refusal("[1]")?.message == "Each message must be one JSON object.")
        #expect(Self.refusal(#"{"text":"hi"}"#)?.message == #"The message has no "type"."#)
        #expect(Self.refusal(#"{"type":"dance"}"#)?.message == #"Unknown message type "dance"."#)
        #expect(Self.refusal(#"{"type":"comment","text":"hi"}"#)?.nonce == nil)
        let noText = Self.refusal(#"{"type":"comment","nonce":"n2"}"#)
        #expect(noText?.message == #"A comment needs "text"."# && noText?.nonce == "n2")
        #expect(Self.refusal(#"{"type":"comment","text":"hi","nonce":"n3","replyTo":"x"}"#)?.nonce == "n3")
        let longNonce = String(repeating: "n", count: 129)
        #expect(Self.refusal(#"{"type":"comment","text":"hi","nonce":"\#(longNonce)"}"#) != nil)
        #expect(Self.refusal(#"{"type":"join","since":"yesterday"}"#) != nil)
        #expect(Self.refusal(#"{"type":"like","commentId":true}"#) != nil, "a boolean is no comment id")
        #expect(Self.refusal(#"{"type":"like","commentId":1.5}"#) != nil)
        #expect(Self.refusal(#"{"type":"comment","text":"hi","nonce":"n4","kind":"poll"}"#)?.nonce == "n4")
        #expect(Self.refusal(#"{"type":"answering"}"#)?.message == #""answering" needs a "commentId"."#)
    }

    @Test func boundsOfMuteAndSlowModeAreTheContracts() {
        #expect(Self.refusal(#"{"type":"mute","authorId":"a","seconds":0}"#) != nil)
        #expect(Self.refusal(#"{"type":"mute","authorId":"a","seconds":86401}"#) != nil)
        #expect(Self.refusal(#"{"type":"mute","authorId":"a","seconds":86400}"#) == nil)
        #expect(Self.refusal(#"{"type":"mute","authorId":"","seconds":5}"#) != nil)
        #expect(Self.refusal(#"{"type":"slowmode","seconds":3601}"#) != nil)
        #expect(Self.refusal(#"{"type":"slowmode","seconds":3600}"#) == nil)
        #expect(Self.refusal(#"{"type":"hide","commentId":1,"reason":5}"#)?.message == #""reason" must be a string."#)
    }
}
