import Foundation
import Testing
import Webinar

/// Issue 14, items 4 and 5: limits in scalars and bytes, and the characters each field may hold.
@Suite("TextRules")
struct TextRulesTests {
    /// The field and code a validation throws, or nil when it passes.
    private func failure(_ body: () throws -> Void) -> (field: String?, code: String)? {
        do {
            try body()
            return nil
        } catch let error as WebinarError {
            #expect(error.kind == .invalid && !error.message.isEmpty)
            return (error.field, error.code)
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func limitsCountScalarsAndBytes() {
        let limit = TextLimit(scalars: 1...4, maxBytes: 8)
        #expect(limit.admits("abcd") && limit.admits("éé") && !limit.admits("") && !limit.admits("abcde"))
        #expect(!limit.admits("🙂🙂🙂"), "12 bytes")
        #expect(!limit.admits("e\u{301}\u{301}\u{301}\u{301}"), "one character, five scalars")
        #expect(limit.phrase == "1 to 4 characters (at most 8 bytes)")
        #expect(TextLimit(scalars: 0...9, maxBytes: 20).phrase == "at most 9 characters (20 bytes)")
    }

    @Test func namesAreBoundedInScalarsAndBytes() throws {
        #expect(try Validation.name(String(repeating: "x", count: 100)).count == 100)
        #expect(try Validation.name(String(repeating: "🙂", count: 100)).unicodeScalars.count == 100)
        #expect(self.failure { _ = try Validation.name(String(repeating: "x", count: 101)) }?.field == "name")
        #expect(self.failure { _ = try Validation.name("a" + String(repeating: "\u{301}", count: 10_000)) }?.field == "name")
        // 40 characters of three scalars each (no precomposed form): 120 scalars.
        #expect(self.failure { _ = try Validation.name(String(repeating: "x\u{301}\u{302}", count: 40)) }?.field == "name")
        // Decomposed accents are composed first, so "é" written as e + U+0301 counts once.
        #expect(try Validation.name(String(repeating: "e\u{301}", count: 100)).unicodeScalars.count == 100)
    }

    @Test func namesRefuseInvisibleFormattingButKeepJoiners() throws {
        for name in [
            "\u{202E}tsoH", "Ada\u{200B}x", "A\u{2066}da\u{2069}", "A\u{FEFF}da", "\u{FEFF}Ada", "A\u{200E}da", "Ada\u{AD}x",
            "Ada\u{E0041}",
        ] {
            #expect(self.failure { _ = try Validation.name(name) }?.field == "name", "\(name.debugDescription)")
        }
        #expect(try Validation.name("👩\u{200D}💻 Ada") == "👩\u{200D}💻 Ada", "emoji sequences keep their joiner")
        #expect(try Validation.name("می\u{200C}خواهم") == "می\u{200C}خواهم", "Persian keeps its zero-width non-joiner")
        #expect(try Validation.name("❤\u{FE0F} Ada") == "❤\u{FE0F} Ada", "variation selectors stay")
    }

    @Test(arguments: ["\u{0}", "\u{1}", "\u{1B}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}"])
    func controlCharactersAreRefusedEverywhere(control: String) {
        #expect(self.failure { _ = try Validation.title("a\(control)b") }?.field == "title")
        #expect(self.failure { _ = try Validation.description("a\(control)b") }?.field == "description")
        #expect(self.failure { _ = try Validation.name("a\(control)b") }?.field == "name")
        #expect(self.failure { _ = try Validation.email("a\(control)b@example.com") }?.field == "email")
        #expect(self.failure { _ = try Validation.blockedWords(["a\(control)b"]) }?.field == "blockedWords")
        let comment = self.failure { _ = try CommentText.validate("a\(control)b") }
        #expect(comment?.field == "text" && comment?.code == "invalid_field")
    }

    @Test func lineBreaksAndTabsOnlyWhereAFieldHasLines() throws {
        #expect(try Validation.description("one\r\ntwo\rthree\n\tfour") == "one\ntwo\nthree\n\tfour")
        #expect(try CommentText.validate("one\r\n\ttwo") == "one\n\ttwo")
        #expect(self.failure { _ = try Validation.title("one\ntwo") }?.field == "title")
        #expect(self.failure { _ = try Validation.title("one\ttwo") }?.field == "title")
        #expect(self.failure { _ = try Validation.blockedWords(["buy\nnow"]) }?.field == "blockedWords")
        #expect(self.failure { _ = try Validation.title("one\u{2028}two") }?.field == "title")
    }

    @Test func eventFieldsAreBoundedInBytes() {
        #expect(self.failure { _ = try Validation.title(String(repeating: "a\u{301}\u{302}", count: 100)) }?.field == "title")
        #expect(self.failure { _ = try Validation.description(String(repeating: "a\u{301}", count: 2600)) }?.field == "description")
        #expect(self.failure { _ = try Validation.blockedWords(["a" + String(repeating: "\u{301}", count: 100)]) }?.field == "blockedWords")
        #expect(self.failure { _ = try Validation.email(String(repeating: "é", count: 200) + "@x.io") }?.field == "email")
        #expect((try? Validation.email(String(repeating: "é", count: 100) + "@x.io")) != nil)
    }

    @Test func commentsAreBoundedInBytes() {
        // 2,000 characters and 8,000 scalars, but 24,000 bytes.
        let heavy = String(repeating: "\u{915}\u{93F}\u{901}\u{93C}", count: 2000)
        #expect(self.failure { _ = try CommentText.validate(heavy) }?.code == "too_long")
        #expect((try? CommentText.validate(String(repeating: "\u{915}\u{93F}", count: 2000))) != nil, "12,000 bytes fit")
    }
}
