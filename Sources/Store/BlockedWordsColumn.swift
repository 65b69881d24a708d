import Foundation

/// `events.blocked_words`: a JSON array of strings, so the column stays readable with the sqlite3 shell.
enum BlockedWordsColumn {
    static func encode(_ words: [String]) throws -> String {
        guard !words.isEmpty else { return "[]" }
        return String(decoding: try JSONEncoder().encode(words), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [String] {
        guard text != "[]" else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
