import BackchannelServer
import Testing

/// The configuration file's parser: strict JSON, and every mistake reported with line and column.
@Suite struct ConfigJSONParserTests {
    static func parse(_ text: String) throws(ConfigJSONError) -> ConfigJSON { try ConfigJSONParser.parse(Array(text.utf8)) }

    @Test func readsEveryKindOfValue() throws {
        let value = try Self.parse(#" {"a": [1, -2.5e3, "x\n\u00e9\ud83d\ude00", true, false, null], "b": {}} "#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["a", "b"])
        #expect(members[0].value == .array([.number("1"), .number("-2.5e3"), .string("x\né😀"), .bool(true), .bool(false), .null]))
        #expect(members[1].value == .object([]))
    }

    @Test(arguments: [
        ("{\n  \"port\": 8080\n  \"host\": \"x\"\n}", 3, 3, "expected ',' or '}' after a value"),
        ("{\"port\": 8080,}", 1, 15, "expected a key in double quotes"),
        ("{\"a\": [1, 2,]}", 1, 13, "expected a value"),
        ("{\"a\": tru}", 1, 7, "expected true"),
        ("{\"a\": 'x'}", 1, 7, "expected a value"),
        ("{\"a\": 08}", 1, 7, "cannot start with 0"),
        ("{\"a\": 1", 1, 8, "the object opened at line 1 is not closed"),
        ("{\"a\": \"x\n\"}", 1, 9, "not closed before the end of the line"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "the key \"a\" appears twice"),
        ("{} {}", 1, 4, "after the end of the document"),
        ("", 1, 1, "expected a value"),
        ("{\n\t\"é\": x}", 2, 7, "unexpected 'x'"),  // a tab and an é count one column each
    ])
    func mistakesSayWhereAndWhat(text: String, line: Int, column: Int, message: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        #expect(throws: ConfigJSONError.self) { try Self.parse(String(repeating: "[", count: 10_000)) }
    }
}
