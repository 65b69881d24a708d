import HTTP1
import Testing

@testable import WebSocket

@Suite struct WebSocketExtensionOfferTests {
    func parse(_ values: String...) throws -> [WebSocketExtensionOffer] {
        try WebSocketExtensionOffer.parse(HTTPHeaders(values.map { ("Sec-WebSocket-Extensions", $0) }))
    }

    @Test func none() throws {
        #expect(try WebSocketExtensionOffer.parse(HTTPHeaders()) == [])
        #expect(try self.parse("") == [])
        #expect(try self.parse(" , ,") == [])
    }

    @Test func singleOfferWithoutParameters() throws {
        #expect(try self.parse("permessage-deflate") == [WebSocketExtensionOffer(name: "permessage-deflate")])
    }

    @Test func offersWithParameters() throws {
        let offers = try self.parse(
            "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate ;client_no_context_takeover"
        )
        #expect(
            offers == [
                WebSocketExtensionOffer(
                    name: "permessage-deflate",
                    parameters: [
                        (name: "client_max_window_bits", value: nil), (name: "server_max_window_bits", value: "10"),
                    ]),
                WebSocketExtensionOffer(
                    name: "permessage-deflate", parameters: [(name: "client_no_context_takeover", value: nil)]),
            ])
        #expect(offers[0].parameter(named: "SERVER_MAX_WINDOW_BITS")?.value == "10")
        #expect(offers[0].parameter(named: "missing") == nil)
    }

    @Test func quotedValuesAreUnescaped() throws {
        let offers = try self.parse(#"x; a="10"; b = "1\0" ; c="tok-en""#)
        #expect(
            offers == [
                WebSocketExtensionOffer(
                    name: "x",
                    parameters: [(name: "a", value: "10"), (name: "b", value: "10"), (name: "c", value: "tok-en")])
            ])
    }

    @Test func everyHeaderInOrder() throws {
        let offers = try self.parse("a; p=1", "b, c")
        #expect(offers.map(\.name) == ["a", "b", "c"])
    }

    @Test func equalityComparesParameters() {
        let a = WebSocketExtensionOffer(name: "x", parameters: [(name: "p", value: "1")])
        #expect(a != WebSocketExtensionOffer(name: "x", parameters: [(name: "p", value: nil)]))
        #expect(a != WebSocketExtensionOffer(name: "x"))
        #expect(a == WebSocketExtensionOffer(name: "x", parameters: [(name: "p", value: "1")]))
    }

    @Test(arguments: [
        ";", "x;", "x; ", "x; =1", "x; a=", "x; a= ;", #"x; a="1"#, #"x; a="a b""#, #"x; a="""#, "x y", "x; a=b c",
        "x; a b", "x; a=1=2", "x/1", "x; a=@", #"x; a="\"#, "x,y z",
    ])
    func malformedOffersAreRefused(value: String) {
        #expect("\(value)") { try self.parse(value) } throws: { error in
            (error as? WebSocketHandshakeError)?.status == .badRequest
        }
    }
}
