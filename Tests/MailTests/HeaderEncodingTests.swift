import Foundation
import Testing

@testable import Mail

@Suite("Mail headers: encoded words, quoting, folding, injection")
struct HeaderEncodingTests {
    /// Decodes a header value the way a mail reader does: unfold, then decode adjacent encoded words.
    static func decode(_ value: String) -> String {
        let unfolded = value.replacingOccurrences(of: "\r\n ", with: " ")
        var out = ""
        var previousWasEncoded = false
        for token in unfolded.split(separator: " ", omittingEmptySubsequences: false) {
            if token.hasPrefix("=?UTF-8?B?"), token.hasSuffix("?=") {
                let base64 = token.dropFirst(10).dropLast(2)
                out += String(decoding: Data(base64Encoded: String(base64)) ?? Data(), as: UTF8.self)
                previousWasEncoded = true
            } else {
                if !out.isEmpty || previousWasEncoded { out += " " }
                out += token
                previousWasEncoded = false
            }
        }
        return out
    }

    static func lines(_ header: String) -> [Substring] { header.split(separator: "\r\n", omittingEmptySubsequences: false) }

    @Test func plainASCIISubjectStaysReadableAndFolds() {
        let subject = "Your ticket: " + String(repeating: "long title ", count: 12)
        let value = EncodedWords.unstructured(subject, used: 9)
        #expect(!value.contains("=?"))
        #expect(Self.lines("Subject: " + value).allSatisfy { $0.count <= 76 })
        #expect(value.replacingOccurrences(of: "\r\n ", with: " ") == subject.trimmingCharacters(in: .whitespaces))
    }

    @Test func twoHundredCharacterNonASCIINameEncodesAndDecodesExactly() {
        let name = String(repeating: "Zoë Ångström 東京 ", count: 13).prefix(200).description
        #expect(name.count == 200)
        let value = EncodedWords.phrase(name, used: 4)
        let header = "To: " + value + " <zoe@mail.example.org>"
        #expect(header.utf8.allSatisfy { $0 < 0x80 }, "headers are 7-bit ASCII")
        #expect(Self.lines(header).allSatisfy { $0.count <= 78 })
        for word in value.split(whereSeparator: { $0 == " " || $0 == "\r\n" }) where word.hasPrefix("=?") {
            #expect(word.count <= 75, "RFC 2047 limits an encoded word to 75 characters")
        }
        #expect(Self.decode(value) == name)
    }

    @Test func lineBreaksInANameCannotStartANewHeader() {
        for name in ["Eve\r\nBcc: victim@example.org", "Eve\nBcc: victim@example.org", "Eve\u{2028}Bcc: x@y.org"] {
            let header = "To: " + EncodedWords.phrase(name, used: 4)
            for line in Self.lines(header).dropFirst() {
                #expect(line.hasPrefix(" "), "every continuation line is folded whitespace: \(line)")
            }
            #expect(!header.contains("\nBcc"))
            #expect(!header.replacingOccurrences(of: "\r\n ", with: "").contains("\r"))
            #expect(!header.replacingOccurrences(of: "\r\n ", with: "").contains("\n"))
        }
    }

    @Test func quotesAndBackslashesInPlainNamesAreEscaped() {
        #expect(EncodedWords.phrase("Ada \"The Countess\" L\\", used: 4) == "\"Ada \\\"The Countess\\\" L\\\\\"")
        // A name that looks like an encoded word is encoded itself, so it reads back literally.
        let tricky = "=?UTF-8?B?SGk=?="
        #expect(Self.decode(EncodedWords.phrase(tricky, used: 4)) == tricky)
    }

    @Test func addressesThatCouldBreakSMTPOrHeadersAreRefused() {
        for bad in [
            "a>b@x.org", "a@x.org>", "a b@x.org", "a\r\n@x.org", "\"a\"@x.org", "zoë@x.org", "a@x", "a..b@x.org",
            "@x.org", "a@-x.org\r\nRCPT TO:<v@x.org>", "a,b@x.org",
        ] {
            #expect(throws: SMTPError.self, "\(bad)") { try MailAddress(bad) }
        }
        for good in ["ada@example.org", "a.b+tag@mail.example.co.uk", "o'brien@x-y.org", "a_b!c#d@x.io"] {
            #expect(throws: Never.self) { try MailAddress(good) }
        }
    }
}
