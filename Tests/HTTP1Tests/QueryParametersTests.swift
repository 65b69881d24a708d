import HTTP1
import Testing

@Suite struct QueryParametersTests {
    @Test func decodesPairs() {
        let query = QueryParameters("since=42&name=Ada+Lovelace&city=Z%C3%BCrich&flag&empty=")
        #expect(query["since"] == "42")
        #expect(query["name"] == "Ada Lovelace")
        #expect(query["city"] == "Zürich")
        #expect(query["flag"] == "")
        #expect(query["empty"] == "")
        #expect(query["missing"] == nil)
    }

    @Test func repeatedNamesKeepOrder() {
        let query = QueryParameters("tag=a&tag=b&&tag=c")
        #expect(query["tag"] == "a")
        #expect(query.values(for: "tag") == ["a", "b", "c"])
    }

    @Test func encodedSeparatorsStayInsideValues() {
        let query = QueryParameters("q=a%26b%3Dc&x%2By=1")
        #expect(query["q"] == "a&b=c")
        #expect(query["x+y"] == "1")
    }

    @Test func invalidEscapesDropThePair() {
        let query = QueryParameters("bad=%ZZ&good=1&worse=%C3")
        #expect(query["bad"] == nil)
        #expect(query["worse"] == nil)
        #expect(query["good"] == "1")
    }

    @Test func noQuery() {
        #expect(QueryParameters(nil).isEmpty)
        #expect(QueryParameters("").isEmpty)
        let head = HTTPRequestHead(method: .get, target: "/comments?since=7", version: .http1_1, headers: [:])
        #expect(QueryParameters(head.query)["since"] == "7")
    }
}
