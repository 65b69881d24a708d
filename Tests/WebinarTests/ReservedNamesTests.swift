import Testing
import Webinar

/// Issue 14, item 6: names that read as a reserved word.
@Suite("ReservedNames")
struct ReservedNamesTests {
    @Test(arguments: [
        ("Host", "host"), ("hOsT", "host"), ("H\u{43E}st", "host"), ("Ηοѕτ", "host"), ("H o s t", "host"), ("h0st", "host"),
        ("Adm1n", "admin"), ("The Host", "host"), ("Host 🎤", "host"), ("Back-Channel", "backchannel"), ("MODERATOR", "moderator"),
        ("Ho\u{200D}st", "host"), ("Ｈｏｓｔ", "host"), ("Joe Host", "host"), ("Administrator", "administrator"),
    ])
    func reserved(name: String, word: String) {
        #expect(ReservedNames.reservedWord(in: name) == word)
    }

    @Test func validationRefusesThemWith422() {
        for name in ["Host", "  admin ", "H\u{43E}st", "Moderator Team"] {
            do {
                _ = try Validation.name(name)
                Issue.record("\(name) was accepted")
            } catch {
                #expect(error.field == "name" && error.code == "invalid_field" && error.message.contains("kept for the people running"))
            }
        }
        #expect((try? Validation.name("Ghost Writer")) == "Ghost Writer")
    }

    @Test(arguments: ["Ghost Writer", "Hostetler", "Adam Inman", "Moderna Fan", "Ada Lovelace", "Zoë 李", "Admiral", "Systematic"])
    func fine(name: String) {
        #expect(ReservedNames.reservedWord(in: name) == nil)
    }
}
