import Mail
import Testing

@Suite("SMTP reply parser")
struct SMTPReplyParserTests {
    static let ehlo = Array("250-mail.example.org Hello\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n".utf8)
    static let expected = SMTPReply(code: 250, lines: ["mail.example.org Hello", "PIPELINING", "AUTH PLAIN LOGIN", "STARTTLS"])

    /// Feeds `bytes` in pieces of `size` and collects every reply.
    static func parse(_ bytes: [UInt8], pieces size: Int) throws -> [SMTPReply] {
        var parser = SMTPReplyParser()
        var replies: [SMTPReply] = []
        var offset = 0
        while offset < bytes.count {
            parser.feed(bytes[offset..<min(offset + size, bytes.count)])
            offset += size
            while let reply = try parser.next() { replies.append(reply) }
        }
        return replies
    }

    @Test func multiLineReplyByteByByteAndAllAtOnce() throws {
        for size in [1, 2, 3, 7, Self.ehlo.count] {
            #expect(try Self.parse(Self.ehlo, pieces: size) == [Self.expected], "pieces of \(size)")
        }
    }

    @Test func severalRepliesInOneBufferAsPipeliningSendsThem() throws {
        let bytes = Array("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n".utf8)
        for size in [1, 5, bytes.count] {
            let replies = try Self.parse(bytes, pieces: size)
            #expect(replies.map(\.code) == [250, 250, 354])
            #expect(replies[2].lines == ["End data with <CR><LF>.<CR><LF>"])
        }
    }

    @Test func codeOnlyLinesBareLineFeedsAndClassification() throws {
        let replies = try Self.parse(Array("220\n421-busy\r\n421 try later\n550 5.1.1 no such user\r\n".utf8), pieces: 1)
        #expect(
            replies == [
                SMTPReply(code: 220, lines: [""]), SMTPReply(code: 421, lines: ["busy", "try later"]),
                SMTPReply(code: 550, lines: ["5.1.1 no such user"]),
            ])
        #expect(replies[1].isTransient && !replies[1].isPermanent)
        #expect(replies[2].isPermanent && replies[2].description == "550 5.1.1 no such user")
        #expect(replies[0].isPositive)
    }

    @Test func truncatedReplyWaitsForMoreAndSaysSo() throws {
        var parser = SMTPReplyParser()
        parser.feed(Array("250-first\r\n250 sec".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.hasPartialReply)
        parser.feed(Array("ond\r\n".utf8))
        #expect(try parser.next() == SMTPReply(code: 250, lines: ["first", "second"]))
        #expect(!parser.hasPartialReply)
    }

    @Test(arguments: [
        "HTTP/1.1 400 Bad Request\r\n", "25\r\n", "2500 ok\r\n", "250_ok\r\n", "abc def\r\n", "650 no\r\n",
        "250-a\r\n251 b\r\n", "\r\n", "250 a\0b\r\n",
    ])
    func garbageIsAProtocolErrorNotACrash(text: String) {
        var parser = SMTPReplyParser()
        parser.feed(Array(text.utf8))
        #expect(throws: SMTPError.self) { while try parser.next() != nil {} }
    }

    @Test func randomBytesNeverCrashTheParser() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var parser = SMTPReplyParser()
            let count = Int.random(in: 0..<300, using: &generator)
            let alphabet = Array("0123456789 -\r\nabc\0\u{ff}".utf8)
            parser.feed((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
            do { while try parser.next() != nil {} } catch {}
        }
    }

    @Test func oversizedLinesAndRepliesAreRefusedWithoutBufferingForever() throws {
        var parser = SMTPReplyParser()
        parser.feed([UInt8]("250 ".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: SMTPReplyParser.maxLineBytes + 10))
        let error = #expect(throws: SMTPError.self) { try parser.next() }
        #expect(error.map { "\($0)" }?.contains("longer than") == true)

        var many = SMTPReplyParser()
        many.feed(Array(String(repeating: "250-line\r\n", count: SMTPReplyParser.maxLines + 1).utf8))
        #expect(throws: SMTPError.self) { while try many.next() != nil {} }
    }

    @Test func descriptionIsCutForTheHostView() {
        let reply = SMTPReply(code: 550, lines: [String(repeating: "x", count: 900)])
        #expect(reply.description.count == 500)
        #expect(reply.description.hasPrefix("550 xxx"))
    }
}
