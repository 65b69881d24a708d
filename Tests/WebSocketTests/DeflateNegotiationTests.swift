import HTTP1
import Testing
import WebSocket

@testable import WebSocketDeflate

/// RFC 7692 §7.1: which offer is accepted and what the answer says.
@Suite struct DeflateNegotiationTests {
    func answer(_ header: String, _ configuration: PerMessageDeflate.Configuration = .init()) throws -> String? {
        let offers = try WebSocketExtensionOffer.parse(HTTPHeaders([("Sec-WebSocket-Extensions", header)]))
        return PerMessageDeflate.negotiate(offers, configuration: configuration)?.responseHeader
    }

    /// Every offer of RFC 7692 §7.1 (and its §5 framework), with our answer: always
    /// `server_no_context_takeover`, the client's own choices echoed.
    @Test(arguments: [
        ("permessage-deflate", "permessage-deflate; server_no_context_takeover"),
        ("permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover"),
        (
            "permessage-deflate; client_no_context_takeover",
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
        ),
        ("permessage-deflate; client_max_window_bits", "permessage-deflate; server_no_context_takeover"),
        (
            "permessage-deflate; client_max_window_bits=10",
            "permessage-deflate; server_no_context_takeover; client_max_window_bits=10"
        ),
        (
            "permessage-deflate; server_max_window_bits=10",
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"
        ),
        (
            "permessage-deflate; server_max_window_bits=8",
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=8"
        ),
        // §7.1.3: the first offer wins when it can be honoured.
        (
            "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits",
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"
        ),
        (
            "permessage-deflate; server_max_window_bits=10, permessage-deflate",
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"
        ),
        // Autobahn 13.7: three offers, the first is accepted.
        (
            "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; "
                + "server_max_window_bits=9, permessage-deflate; client_no_context_takeover; client_max_window_bits; "
                + "server_no_context_takeover, permessage-deflate; client_no_context_takeover; client_max_window_bits",
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9"
        ),
        // What browsers send.
        (
            "permessage-deflate; client_max_window_bits, x-webkit-deflate-frame",
            "permessage-deflate; server_no_context_takeover"
        ),
        // Quoted values are tokens once unquoted (§7.1.2.1).
        (
            "permessage-deflate; server_max_window_bits=\"12\"",
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=12"
        ),
        // Names compare without case.
        (
            "PerMessage-Deflate; Client_No_Context_Takeover",
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
        ),
        // Another extension first: skipped, not an error.
        ("permessage-foo; x=10, permessage-deflate", "permessage-deflate; server_no_context_takeover"),
    ])
    func accepted(offer: String, expected: String) throws {
        #expect(try self.answer(offer) == expected)
    }

    /// Malformed offers are declined (§7.1); with nothing else offered, no extension is used.
    @Test(arguments: [
        "permessage-deflate; foo",
        "permessage-deflate; foo=1",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
        "permessage-deflate; server_max_window_bits=10; server_max_window_bits=11",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=08",
        "permessage-deflate; server_max_window_bits=+9",
        "permessage-deflate; server_max_window_bits=ten",
        "permessage-deflate; server_max_window_bits=100",
        "permessage-deflate; client_max_window_bits=7",
        "permessage-deflate; client_max_window_bits=0",
        "permessage-deflate; client_max_window_bits=\"16\"",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover=true",
        "x-webkit-deflate-frame",
        "permessage-foo",
    ])
    func declined(offer: String) throws {
        #expect(try self.answer(offer) == nil)
    }

    @Test func declinedOfferFallsBackToTheNext() throws {
        #expect(
            try self.answer("permessage-deflate; server_max_window_bits=16, permessage-deflate; client_no_context_takeover")
                == "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
        #expect(
            try self.answer("permessage-deflate; foo, permessage-deflate; unknown=1, permessage-deflate")
                == "permessage-deflate; server_no_context_takeover")
    }

    @Test func refusalReasons() {
        func refusal(_ parameters: [(name: String, value: String?)]) -> PerMessageDeflateOffer.Refusal? {
            do {
                _ = try PerMessageDeflateOffer(WebSocketExtensionOffer(name: "permessage-deflate", parameters: parameters))
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal([("foo", nil)]) == .unknownParameter("foo"))
        #expect(
            refusal([("client_no_context_takeover", nil), ("Client_No_Context_Takeover", nil)])
                == .duplicateParameter("client_no_context_takeover"))
        #expect(refusal([("server_max_window_bits", "7")]) == .invalidValue("server_max_window_bits"))
        #expect(refusal([("client_max_window_bits", "16")]) == .invalidValue("client_max_window_bits"))
        #expect(refusal([("server_no_context_takeover", "x")]) == .invalidValue("server_no_context_takeover"))
        #expect(refusal([("client_max_window_bits", nil), ("server_max_window_bits", "15")]) == nil)
        #expect(throws: PerMessageDeflateOffer.Refusal.notPermessageDeflate) {
            try PerMessageDeflateOffer(WebSocketExtensionOffer(name: "deflate-frame"))
        }
    }

    /// A server that wants small client windows asks only clients that offered the parameter
    /// (§7.1.2.2: no `client_max_window_bits` in the answer unless offered) and never above their value.
    @Test func configuredClientWindow() throws {
        let small = PerMessageDeflate.Configuration(clientMaxWindowBits: 10)
        #expect(try self.answer("permessage-deflate", small) == "permessage-deflate; server_no_context_takeover")
        #expect(
            try self.answer("permessage-deflate; client_max_window_bits", small)
                == "permessage-deflate; server_no_context_takeover; client_max_window_bits=10")
        #expect(
            try self.answer("permessage-deflate; client_max_window_bits=12", small)
                == "permessage-deflate; server_no_context_takeover; client_max_window_bits=10")
        #expect(
            try self.answer("permessage-deflate; client_max_window_bits=9", small)
                == "permessage-deflate; server_no_context_takeover; client_max_window_bits=9")
    }

    @Test func windowsUsedByZlib() {
        let eight = PerMessageDeflateAgreement(serverMaxWindowBits: 8, clientMaxWindowBits: 8)
        #expect(eight.compressionWindowBits == 9)
        #expect(eight.decompressionWindowBits == 9)
        let defaults = PerMessageDeflateAgreement()
        #expect(defaults.compressionWindowBits == 15)
        #expect(defaults.decompressionWindowBits == 15)
        let inflater = DeflateInflater(agreement: PerMessageDeflateAgreement(clientNoContextTakeover: true, clientMaxWindowBits: 11))
        #expect(inflater.windowBits == 11)
        #expect(inflater.noContextTakeover)
    }
}
