import BackchannelServer
import Foundation
import ServerTesting
import Testing

/// Issue 14, items 4 and 5, from the outside: every field has a limit in UTF-8 bytes and in
/// scalars, control characters are refused wherever text enters (HTTP bodies, live messages, path
/// parameters), and names cannot hide invisible formatting characters.
@Suite struct FieldLimitEndToEndTests {
    /// One letter carrying `marks` combining acute accents: a single character of `2 × marks + 1` bytes.
    static func stacked(_ marks: Int) -> String { "a" + String(repeating: "\u{301}", count: marks) }

    static func register(_ api: APIClient, _ slug: String, name: String, email: String = "ann@example.com") throws -> TestResponse {
        try api.register(slug: slug, name: name, email: email)
    }

    @Test func aNameIsBoundedInScalarsAndBytesNotOnlyInCharacters() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "names", capacity: 10)
        // One character (a grapheme cluster) of 20,001 bytes: on main this was a 201 and then rode along
        // with every comment its holder posted.
        RegistrationErrorTests.expectError(try Self.register(api, "names", name: Self.stacked(10_000)), 422, "invalid_field")
        RegistrationErrorTests.expectError(
            try Self.register(api, "names", name: String(repeating: "x", count: 101)), 422, "invalid_field")
        // 100 scalars of 4 bytes each are 400 bytes: the most a name may take.
        let emoji = String(repeating: "🙂", count: 100)
        #expect(try Self.register(api, "names", name: emoji).status == 201)
        #expect(try api.event("names").int("ticketsIssued") == 1, "nothing refused was stored")
    }

    @Test func eventFieldsAreBoundedInBytes() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let hostKey = try api.createEvent(slug: "fields", capacity: 10)
        let base: [String: Any] = ["slug": "other", "startsAt": "2030-01-01T10:00:00Z", "capacity": 5]
        var title = base
        title["title"] = String(repeating: Self.stacked(4), count: 100)  // 100 characters, 500 scalars
        RegistrationErrorTests.expectError(
            try api.request("POST", "/api/events", json: title, token: APIClient.adminToken), 422, "invalid_field")
        var description = base
        description["title"] = "Fine"
        description["description"] = String(repeating: Self.stacked(8), count: 1000)  // 1,000 characters, 17,000 bytes
        RegistrationErrorTests.expectError(
            try api.request("POST", "/api/events", json: description, token: APIClient.adminToken), 422, "invalid_field")
        RegistrationErrorTests.expectError(
            try api.request("PATCH", "/api/events/fields", json: ["blockedWords": [Self.stacked(300)]], token: hostKey),
            422, "invalid_field")
        // 200 characters but 400 bytes before the @: over the 254 bytes an address may have.
        RegistrationErrorTests.expectError(
            try Self.register(api, "fields", name: "Ann", email: String(repeating: "é", count: 200) + "@example.com"),
            422, "invalid_field")
        #expect(try api.request("GET", "/api/events/other").status == 404)
    }

    @Test(arguments: [
        ["title": "Launch\u{0}"], ["title": "Launch\u{1B}[31m"], ["title": "Launch\u{85}"],
        ["description": "line one\u{0}hidden"], ["description": "bell\u{7}"],
    ])
    func controlCharactersInEventFieldsAre422(fields: [String: String]) throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        var body: [String: Any] = ["slug": "ctl", "title": "Launch", "startsAt": "2030-01-01T10:00:00Z", "capacity": 5]
        for (key, value) in fields { body[key] = value }
        let response = try api.request("POST", "/api/events", json: body, token: APIClient.adminToken)
        RegistrationErrorTests.expectError(response, 422, "invalid_field")
        #expect(response.text.contains(fields.keys.first!), "the message names the field: \(response.text)")
    }

    @Test func aDescriptionKeepsItsLineBreaksAndTabs() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "lines", capacity: 5, extra: ["description": "Agenda:\r\n\t1. Welcome\n\t2. Q&A"])
        #expect(try api.event("lines")["description"] as? String == "Agenda:\n\t1. Welcome\n\t2. Q&A")
    }

    @Test(arguments: [
        "\u{202E}tsoH", "Ada\u{200B}Lovelace", "Ada\u{2066}x\u{2069}", "Ada\u{FEFF}Lovelace", "Ada\u{0}", "Ada\u{9F}",
    ])
    func namesWithInvisibleFormattingOrControlsAre422(name: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "bidi", capacity: 5)
        RegistrationErrorTests.expectError(try Self.register(api, "bidi", name: name), 422, "invalid_field")
        #expect(try api.event("bidi").int("ticketsIssued") == 0)
    }

    @Test func aNulInAPathParameterIsNeverCutOff() throws {
        let server = try TestServer()
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        try api.createEvent(slug: "cut", capacity: 5)
        let code = try #require(try Self.register(api, "cut", name: "Ann").json()["code"] as? String)
        // On main each of these reached the store as "cut" / the code, cut at the NUL, and answered 200.
        for path in [
            "/api/events/cut%00", "/api/events/cut%00evil", "/api/registrations/\(code)%00",
            "/api/events/cut%00/comments", "/api/events/cut%01",
        ] {
            let response = try api.request("GET", path)
            #expect([400, 404].contains(response.status), "\(path): \(response.status) \(response.text)")
        }
        #expect(try api.request("DELETE", "/api/registrations/\(code)%00").status == 404)
        #expect(try api.registration(code)["status"] as? String == "ticketed", "the registration was not cancelled")
    }

    @Test func liveCommentsRefuseControlsAndOversizeTextButKeepLineBreaks() throws {
        let server = try TestServer()
        defer { server.stop() }
        let port = server.port
        _ = try Fixture.event(port, slug: "nul")
        let ann = try Fixture.register(port, slug: "nul", name: "Ann")
        let client = try LiveClient(port: port, slug: "nul")
        client.join(ticket: ann.code)

        // On main the room showed "hello\0world" while the store kept "hello": the archive and the
        // room disagreed. Now nothing is stored and the author is told why.
        for (index, text) in ["hello\u{0}world", "escape \u{1B}[2J", "next line\u{85}", "del\u{7F}"].enumerated() {
            client.send(["type": "comment", "text": text, "nonce": "bad\(index)"])
            let error = client.next(type: "error")
            #expect(error?["code"] as? String == "invalid_field", "\(text.debugDescription): \(String(describing: error))")
            #expect(error?["nonce"] as? String == "bad\(index)")
        }
        // 2,000 characters of four scalars each (8,000 scalars) in 24,000 bytes: over the byte limit.
        let heavy = String(repeating: "\u{915}\u{93F}\u{901}\u{93C}", count: 2000)
        client.send(["type": "comment", "text": heavy, "nonce": "heavy"])
        #expect(client.next(type: "error")?["code"] as? String == "too_long")

        client.send(["type": "comment", "text": "two\nlines\tand a tab", "nonce": "ok"])
        #expect(client.next(type: "ack")?["nonce"] as? String == "ok")
        let archive = try Fixture.request(port, "GET", "/api/events/nul/comments")
        let comments = try #require(try archive.json()["comments"] as? [[String: Any]])
        #expect(comments.map { $0["text"] as? String } == ["two\nlines\tand a tab"], "only the valid comment was stored")
    }

    @Test func blockedWordsMatchThroughZeroWidthAndLookAlikeLetters() throws {
        let server = try TestServer { $0.commentRateLimit = 1000 }
        defer { server.stop() }
        let port = server.port
        let hostKey = try Fixture.event(port, slug: "spam")
        #expect(try Fixture.request(port, "PATCH", "/api/events/spam", body: ["blockedWords": ["spam"]], token: hostKey).status == 200)
        let ann = try Fixture.register(port, slug: "spam", name: "Ann")
        let client = try LiveClient(port: port, slug: "spam")
        client.join(ticket: ann.code)
        // A zero-width space, Cyrillic ѕ р а м, Greek ρ, full-width letters: all read "spam" to a person.
        let disguised = [
            "buy sp\u{200B}am now", "buy \u{455}\u{440}\u{430}\u{43C} now", "\u{3C1}ure s\u{3C1}am",
            "ＳＰＡＭ!", "S\u{200D}P\u{2060}A\u{AD}M",
        ]
        for (index, text) in disguised.enumerated() {
            client.send(["type": "comment", "text": text, "nonce": "n\(index)"])
            let ack = client.next(type: "ack")
            #expect(ack?["held"] as? Bool == true, "\(text.debugDescription) was published: \(String(describing: ack))")
        }
        client.send(["type": "comment", "text": "a spa mission", "nonce": "clean"])
        #expect(client.next(type: "ack")?["held"] == nil, "a comment without the word is published")
    }
}
