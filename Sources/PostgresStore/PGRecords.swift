import Foundation
import Webinar

/// Rows of the store's tables mapped to domain values, by column name (the schema is in
/// ``PostgresMigrations``). Enum columns read leniently like the SQLite records do; the schema's CHECKs
/// keep other values out.
enum PGRecords {
    /// An `events` row (`SELECT *`), with its id and the counters only the store uses.
    struct EventRow {
        var event: Event
        var lastQueue: Int64
        var hostKeyHash: String
    }

    static func eventRow(_ row: PGRow) throws -> EventRow {
        let event = Event(
            id: try row.int64("id"), slug: try row.string("slug"), title: try row.string("title"),
            description: try row.string("description"), startsAt: try row.date("starts_at"),
            endsAt: try row.optionalDate("ends_at"), timeZone: try row.text("time_zone"), capacity: try row.int("capacity"),
            ticketsIssued: try row.int("tickets_issued"), waitlistLength: try row.int("waitlist_length"),
            registrationOpen: try row.bool("registration_open"), publicViewing: try row.bool("public_viewing"),
            moderation: ModerationMode(rawValue: try row.string("moderation")) ?? .review,
            slowModeSeconds: try row.int("slow_mode_seconds"),
            blockedWords: try Self.decodeWords(try row.string("blocked_words")),
            createdAt: try row.date("created_at"), offersOpen: try row.int("offers_open"),
            claimWindowMinutes: try row.int("claim_window_minutes"))
        return EventRow(
            event: event, lastQueue: try row.int64("last_queue"), hostKeyHash: try row.string("host_key_hash"))
    }

    /// A `registrations` row; `position` only counts for a waitlisted one.
    static func registration(_ row: PGRow, slug: String, position: Int?) throws -> Registration {
        let status = RegistrationStatus(rawValue: try row.string("status")) ?? .cancelled
        return Registration(
            id: try row.int64("id"), eventId: try row.int64("event_id"), eventSlug: slug, code: nil,
            authorId: try row.string("author_id"), name: try row.string("name"), email: try row.string("email"),
            status: status, position: status == .waitlisted ? position : nil, createdAt: try row.date("created_at"),
            offerExpiresAt: try row.optionalDate("offer_expires_at"))
    }

    /// A `registrations` row as ``RegistrationPlan`` sees it.
    static func planRow(_ row: PGRow) throws -> RegistrationPlan.Row {
        RegistrationPlan.Row(
            id: try row.int64("id"), status: RegistrationStatus(rawValue: try row.string("status")) ?? .cancelled,
            queue: try row.int64("queue"), offerExpiresAt: try row.optionalDate("offer_expires_at"))
    }

    static func comment(_ row: PGRow) throws -> Comment {
        Comment(
            eventId: try row.int64("event_id"), id: try row.int64("id"), authorId: try row.string("author_id"),
            author: try row.string("author"), text: try row.string("text"), replyTo: try row.optionalInt64("reply_to"),
            likes: try row.int("likes"), pinned: try row.bool("pinned"), hidden: try row.bool("hidden"),
            status: CommentStatus(rawValue: try row.string("status")) ?? .held, createdAt: try row.date("created_at"),
            kind: CommentKind(rawValue: try row.string("kind")) ?? .comment,
            questionState: try row.text("question_state").flatMap(QuestionState.init(rawValue:)))
    }

    static func logEntry(_ row: PGRow) throws -> ModerationLogEntry {
        ModerationLogEntry(
            id: try row.int64("id"), eventId: try row.int64("event_id"),
            actor: Moderator(rawValue: try row.string("actor")) ?? .host,
            action: ModerationAction(rawValue: try row.string("action")) ?? .hide, target: try row.text("target"),
            detail: try row.text("detail"), createdAt: try row.date("created_at"))
    }

    /// `blocked_words` as a JSON array text for a `$n::jsonb` parameter.
    static func encodeWords(_ words: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(words), as: UTF8.self)
    }

    static func decodeWords(_ text: String) throws -> [String] {
        guard text != "[]" else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
