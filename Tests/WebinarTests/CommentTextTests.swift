import Testing
import Webinar

@Suite("CommentText")
struct CommentTextTests {
    @Test func trims() throws {
        #expect(try CommentText.validate("  hello \n") == "hello")
        #expect(try CommentText.validate("line one\nline two") == "line one\nline two")
        #expect(try CommentText.validate(String(repeating: "👍🏽", count: 2000)).count == 2000)
    }

    @Test(arguments: ["", "   ", "\n\t "])
    func empty(text: String) {
        #expect(throws: WebinarError.self) { try CommentText.validate(text) }
        #expect((try? CommentText.validate(text)) == nil)
        do { _ = try CommentText.validate(text) } catch { #expect(error.code == "empty" && error.kind == .invalid) }
    }

    @Test func tooLong() {
        for text in [String(repeating: "a", count: 2001), "a" + String(repeating: "\u{0301}", count: 9000)] {
            do {
                _ = try CommentText.validate(text)
                Issue.record("accepted \(text.count) characters")
            } catch {
                #expect(error.code == "too_long")
            }
        }
    }
}
