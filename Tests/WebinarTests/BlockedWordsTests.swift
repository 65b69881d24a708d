import Testing
import Webinar

@Suite("BlockedWords")
struct BlockedWordsTests {
    private let words = BlockedWords(["spam", "Buy Now", "café"])

    @Test(arguments: [
        "this is SPAM", "Spam!", "(spam)", "spam", "please buy now", "BUY NOW!!!", "the CAFE is open", "Café au lait",
    ])
    func holds(text: String) { #expect(self.words.matches(text)) }

    @Test(arguments: ["spammer", "antispam", "buy nowhere", "hello", "", "buynow"])
    func passes(text: String) { #expect(!self.words.matches(text)) }

    @Test func firstMatchAndEmptyList() {
        #expect(self.words.firstMatch(in: "go buy now") == "buy now")
        #expect(BlockedWords([]).isEmpty)
        #expect(!BlockedWords([]).matches("spam"))
        #expect(!BlockedWords(["  "]).matches("anything"))
    }

    @Test func findsALaterWholeWordAfterAPartialOne() {
        #expect(BlockedWords(["ass"]).matches("class ass"))
        #expect(!BlockedWords(["ass"]).matches("class passes"))
    }
}
