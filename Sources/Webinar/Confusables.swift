/// Cyrillic and Greek letters that read as Latin ones, for ``TextFold``: "ѕрам" (Cyrillic) must read
/// "spam", and "Ηοѕτ" (Greek and Cyrillic) "host".
///
/// A small, hand-picked subset of Unicode's confusables data (UTS #39, "Unicode Security Mechanisms",
/// `confusables.txt`): the single Cyrillic or Greek letters whose skeleton there is a single Latin
/// letter, plus the lowercase Cyrillic letters UTS #39 maps to Latin small capitals (в ʙ, к ᴋ, м ᴍ,
/// н ʜ, т ᴛ), taken to their base letter since case never matters here. Digits and symbols are not
/// mapped: "spam" written "sp4m" is a different word to a filter, and a person sees that too.
enum Confusables {
    /// The Latin letter `scalar` reads as, or nil when it reads as itself.
    static func latin(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        guard (0x0391...0x052F).contains(scalar.value) else { return nil }
        return Self.table[scalar]
    }

    private static let table: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(String, String)] = [
            // Cyrillic capitals and lowercase
            ("АВЕКМНОРСТУХЅІЈҮӀҺԚԜ", "ABEKMHOPCTYXSIJYIHQW"),
            ("аеорсухѕіјһԁԛԝӏүвкмнт", "aeopcyxsijhdqwlybkmht"),
            // Greek capitals and lowercase
            ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX"),
            ("αορικνυχγτϲϳ", "aopikvuxytcj"),
        ]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (from, to) in pairs {
            precondition(from.unicodeScalars.count == to.unicodeScalars.count, "confusables: \(from) and \(to) differ in length")
            for (a, b) in zip(from.unicodeScalars, to.unicodeScalars) { table[a] = b }
        }
        return table
    }()
}
