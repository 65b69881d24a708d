/// How long a text field may be, in Unicode scalars and in UTF-8 bytes.
///
/// Both count: a character (a grapheme cluster) may stack thousands of combining marks, so a limit in
/// characters alone lets one "character" weigh a megabyte, and a limit in bytes alone would give
/// people writing in Chinese a third of the room of people writing in English. For plain Latin text
/// the scalar limit is the one a person meets, and it is what the messages call characters.
public struct TextLimit: Sendable, Equatable {
    public let minScalars: Int
    public let maxScalars: Int
    public let maxBytes: Int

    public init(scalars: ClosedRange<Int>, maxBytes: Int) {
        self.minScalars = scalars.lowerBound
        self.maxScalars = scalars.upperBound
        self.maxBytes = maxBytes
    }

    /// Whether `text` is within both limits (and not shorter than allowed).
    public func admits(_ text: String) -> Bool {
        guard text.utf8.count <= self.maxBytes else { return false }
        let scalars = text.unicodeScalars.count
        return scalars >= self.minScalars && scalars <= self.maxScalars
    }

    /// "1 to 100 characters (at most 400 bytes)" or "at most 5000 characters (20000 bytes)", for messages.
    public var phrase: String {
        self.minScalars > 0
            ? "\(self.minScalars) to \(self.maxScalars) characters (at most \(self.maxBytes) bytes)"
            : "at most \(self.maxScalars) characters (\(self.maxBytes) bytes)"
    }
}
