public import Foundation

/// The field rules shared by every input type, each throwing `invalid_field` with the field's name.
///
/// Every text field has a ``TextLimit`` in scalars and UTF-8 bytes, checked after trimming whitespace
/// and newlines, and refuses control characters (``TextCharacters``); descriptions keep line feeds
/// and tabs. The HTTP API, the command line and the store all go through these, so a field has one
/// rule wherever it enters.
public enum Validation {
    public static let titleLimit = TextLimit(scalars: 1...200, maxBytes: 800)
    public static let descriptionLimit = TextLimit(scalars: 0...5000, maxBytes: 20_000)
    public static let nameLimit = TextLimit(scalars: 1...100, maxBytes: 400)
    /// RFC 5321 §4.5.3.1.3: a path is at most 256 octets, 254 without its angle brackets.
    public static let emailMaxBytes = 254
    public static let capacityRange = 1...1_000_000
    public static let slowModeRange = 0...3600
    public static let blockedWordsMaxCount = 200
    public static let blockedWordLimit = TextLimit(scalars: 1...100, maxBytes: 400)
    /// Why a host hid a comment, kept in the moderation log.
    public static let hideReasonLimit = TextLimit(scalars: 0...200, maxBytes: 800)

    /// A trimmed one-line title within ``titleLimit``.
    public static func title(_ raw: String, field: String = "title") throws(WebinarError) -> String {
        let title = try Self.text(raw, field: field, noun: "The title", lines: .single)
        guard Self.titleLimit.admits(title) else {
            throw .invalidField(field, "The title must be \(Self.titleLimit.phrase) long.")
        }
        return title
    }

    /// A trimmed description within ``descriptionLimit`` (empty is fine); line breaks become line feeds.
    public static func description(_ raw: String) throws(WebinarError) -> String {
        let text = try Self.text(raw, field: "description", noun: "The description", lines: .multiple)
        guard Self.descriptionLimit.admits(text) else {
            throw .invalidField("description", "The description must be \(Self.descriptionLimit.phrase) long.")
        }
        return text
    }

    /// A person's name: trimmed, in composed form (NFC), one line within ``nameLimit``, with no invisible
    /// formatting characters, and not reading as a reserved word (``ReservedNames``).
    public static func name(_ raw: String) throws(WebinarError) -> String {
        let name = try Self.text(raw, field: "name", noun: "The name", lines: .single).precomposedStringWithCanonicalMapping
        guard Self.nameLimit.admits(name) else {
            throw .invalidField("name", "The name must be \(Self.nameLimit.phrase) long.")
        }
        guard !name.unicodeScalars.contains(where: TextCharacters.isInvisibleFormatting) else {
            throw .invalidField(
                "name", "The name must not contain invisible formatting characters (zero-width spaces, direction marks or overrides).")
        }
        if let word = ReservedNames.reservedWord(in: name) {
            throw .invalidField(
                "name", "This name reads as \u{201C}\(word)\u{201D}, which is kept for the people running the event; choose another.")
        }
        return name
    }

    /// A normalized email: trimmed, lowercased, one `@`, a dotted domain, at most 254 bytes.
    ///
    /// Deliberately loose (no RFC 5322 grammar): it catches typos, and the normalized form is what makes
    /// "the same email" the same registration.
    public static func email(_ raw: String) throws(WebinarError) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let invalid = WebinarError.invalidField("email", "Enter an email address like name@example.com.")
        guard !email.isEmpty, email.utf8.count <= Self.emailMaxBytes else {
            throw email.isEmpty ? invalid : .invalidField("email", "The email address must be at most 254 bytes long.")
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty,
            !email.unicodeScalars.contains(where: { TextCharacters.isForbidden($0, in: .single) || $0.properties.isWhitespace })
        else { throw invalid }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { throw invalid }
        return email
    }

    /// A seat count in 1…1,000,000.
    public static func capacity(_ capacity: Int) throws(WebinarError) -> Int {
        guard Self.capacityRange.contains(capacity) else {
            throw .invalidField("capacity", "The capacity must be a whole number from 1 to 1000000.")
        }
        return capacity
    }

    /// Slow mode seconds in 0…3600 (0 turns it off).
    public static func slowModeSeconds(_ seconds: Int) throws(WebinarError) -> Int {
        guard Self.slowModeRange.contains(seconds) else {
            throw .invalidField("slowModeSeconds", "Slow mode must be 0 (off) to 3600 seconds.")
        }
        return seconds
    }

    /// The claim window a new event gets: a day to claim a freed seat.
    public static let defaultClaimWindowMinutes = 1440
    /// 0 (instant promotion) to a week.
    public static let claimWindowRange = 0...10_080

    /// A claim window in 0…10080 minutes (0: a freed seat is ticketed at once).
    public static func claimWindowMinutes(_ minutes: Int) throws(WebinarError) -> Int {
        guard Self.claimWindowRange.contains(minutes) else {
            throw .invalidField(
                "claimWindowMinutes", "The claim window must be 0 (a freed seat is given at once) to 10080 minutes (a week).")
        }
        return minutes
    }

    /// An end strictly after the start, when there is an end.
    public static func schedule(startsAt: Date, endsAt: Date?) throws(WebinarError) {
        if let endsAt, endsAt <= startsAt {
            throw .invalidField("endsAt", "The end time must be after the start time.")
        }
    }

    /// Why a host hid a comment: one trimmed line within ``hideReasonLimit``; nil when empty.
    public static func hideReason(_ raw: String) throws(WebinarError) -> String? {
        let reason = try Self.text(raw, field: "reason", noun: "A reason", lines: .single)
        guard Self.hideReasonLimit.admits(reason) else {
            throw .invalidField("reason", "A reason must be \(Self.hideReasonLimit.phrase) long.")
        }
        return reason.isEmpty ? nil : reason
    }

    /// An IANA time zone name (`Europe/Berlin`), as the system's time zone database spells it.
    /// Mail shows an event's times in it beside UTC; an unknown name is refused rather than guessed.
    public static func timeZone(_ raw: String) throws(WebinarError) -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2F || byte == 0x5F || byte == 0x2B || byte == 0x2D
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed, TimeZone(identifier: name) != nil else {
            throw .invalidField("timeZone", "The time zone must be an IANA name such as Europe/Berlin or America/New_York.")
        }
        // As given: Foundation answers "GMT" for "UTC", which is not what the host wrote.
        return name
    }

    /// Up to 200 trimmed one-line words within ``blockedWordLimit``, duplicates (as ``BlockedWords``
    /// compares them) dropped, first spelling kept.
    public static func blockedWords(_ words: [String]) throws(WebinarError) -> [String] {
        guard words.count <= Self.blockedWordsMaxCount else {
            throw .invalidField("blockedWords", "At most 200 blocked words are allowed.")
        }
        var seen = Set<String>()
        var result: [String] = []
        for raw in words {
            let word = try Self.text(raw, field: "blockedWords", noun: "A blocked word", lines: .single)
            guard Self.blockedWordLimit.admits(word) else {
                throw .invalidField("blockedWords", "Each blocked word must be \(Self.blockedWordLimit.phrase) long.")
            }
            if seen.insert(BlockedWords.fold(word)).inserted { result.append(word) }
        }
        return result
    }

    /// `raw` with its line breaks normalized (multi-line fields), checked for control characters, trimmed.
    static func text(_ raw: String, field: String, noun: String, lines: TextCharacters.Lines) throws(WebinarError) -> String {
        let text = lines == .multiple ? TextCharacters.normalizingLineBreaks(raw) : raw
        if text.unicodeScalars.contains(where: { TextCharacters.isForbidden($0, in: lines) }) {
            throw .invalidField(
                field,
                lines == .single
                    ? "\(noun) must be one line, without control characters such as line breaks, tabs or NUL."
                    : "\(noun) must not contain control characters other than line breaks and tabs (such as NUL or escape).")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
