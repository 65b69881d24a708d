/// Names kept for the people running an event: nobody may register as "Host", "Admin" or a look-alike
/// ("Hоst" with a Cyrillic о, "H o s t", "h0st", "The Host"), so a comment signed with one can only
/// come from the host (whose comments also carry `role`).
public enum ReservedNames {
    /// Words no name may contain as a word of its own, or spell out across its words.
    public static let words: Set<String> = [
        "host", "hosts", "cohost", "admin", "admins", "administrator", "moderator", "moderators", "backchannel",
        "organizer", "organiser", "staff", "system",
    ]

    /// The reserved word `name` reads as, if any.
    ///
    /// The name is folded (``TextFold``), digits that stand in for letters are read as those letters
    /// (0 o, 1 i, 3 e, 4 a, 5 s, 7 t), and it is cut into words at everything that is not a letter. It
    /// is reserved when one of its words is a reserved word, or all its words run together spell one:
    /// "Ghost Writer" and "Hostetler" are fine, "Joe Host" and "Back Channel" are not.
    public static func reservedWord(in name: String) -> String? {
        let letters = TextFold.fold(name).map { Self.digitLetters[$0] ?? $0 }
        let words = String(letters).split { !$0.isLetter }.map(String.init)
        if let word = words.first(where: { Self.words.contains($0) }) { return word }
        let joined = words.joined()
        return Self.words.contains(joined) ? joined : nil
    }

    private static let digitLetters: [Character: Character] = ["0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"]
}
