import Testing
import Webinar

/// Issue 14, item 5: text folds to what a person reads, so disguised words match.
@Suite("TextFold")
struct TextFoldTests {
    @Test(arguments: [
        ("Spam", "spam"), ("CAFÉ", "cafe"), ("sp\u{200B}am", "spam"), ("s\u{200D}p\u{2060}a\u{AD}m\u{FEFF}", "spam"),
        ("\u{202E}maps", "maps"), ("\u{455}\u{440}\u{430}\u{43C}", "spam"), ("ЅРАМ", "spam"), ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "abezhikmnoptyx"),
        ("ρure", "pure"), ("ＳＰＡＭ", "spam"), ("𝐬𝐩𝐚𝐦", "spam"), ("ﬁne", "fine"), ("\u{451}", "e"),
        ("Zoë 李", "zoe 李"), ("Привет", "пpиbet"),
    ])
    func folds(text: String, folded: String) {
        #expect(TextFold.fold(text) == folded)
    }

    @Test func blockedWordsMatchDisguisedSpellings() {
        let words = BlockedWords(["spam", "buy now"])
        for text in ["sp\u{200B}am", "\u{455}\u{440}\u{430}\u{43C}!", "buy\u{A0}n\u{43E}w", "ＳＰＡＭ", "S\u{301}PAM"] {
            #expect(words.matches(text), "\(text.debugDescription)")
        }
        #expect(!words.matches("spa mission"))
        #expect(!words.matches("spamming"), "still whole words only")
    }
}
