import Foundation

/// A domain failure the caller can show to a person.
///
/// `kind` picks the HTTP status (the server maps `.invalid` → 422, `.notFound` → 404,
/// `.conflict`/`.closed` → 409, `.forbidden` → 403, `.rateLimited` → 429); `code` is the
/// contract's snake_case error code; `message` is a sentence a person can act on.
public struct WebinarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The family of failure; decides the status code.
    public enum Kind: String, Sendable {
        case invalid, notFound, conflict, closed, forbidden, rateLimited
    }

    public var kind: Kind
    public var code: String
    public var message: String
    /// The input field at fault, for `.invalid` errors.
    public var field: String?
    /// Whole seconds until a retry can succeed, for `.rateLimited` errors (a `Retry-After` hint).
    public var retryAfter: Int?

    public init(kind: Kind, code: String, message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    public var description: String { "\(self.code): \(self.message)" }
}

extension WebinarError {
    /// An input field that breaks its rule (`invalid_field`, 422).
    public static func invalidField(_ field: String, _ message: String) -> WebinarError {
        WebinarError(kind: .invalid, code: "invalid_field", message: message, field: field)
    }

    public static let eventNotFound = WebinarError(
        kind: .notFound, code: "event_not_found", message: "No event has this slug; check the link.")

    public static let registrationNotFound = WebinarError(
        kind: .notFound, code: "registration_not_found",
        message: "No registration has this code; check the link in your confirmation.")

    public static let recoveryLinkInvalid = WebinarError(
        kind: .notFound, code: "recovery_link_invalid",
        message: "This ticket link was already used or is more than a day old; ask for a new one on the event page.")

    public static let commentNotFound = WebinarError(
        kind: .notFound, code: "comment_not_found", message: "No visible comment has this id in this event.")

    /// A reply whose target is not a visible comment of the same event (hidden, held, missing or elsewhere).
    public static let badReply = WebinarError(
        kind: .invalid, code: "bad_reply", message: "You can only reply to a visible comment of this event.")

    public static let registrationClosed = WebinarError(
        kind: .closed, code: "registration_closed", message: "Registration for this event is closed.")

    public static func slugTaken(_ slug: String) -> WebinarError {
        WebinarError(
            kind: .conflict, code: "slug_taken",
            message: "The slug \"\(slug)\" is already used by another event; choose another.", field: "slug")
    }

    public static func capacityBelowTickets(capacity: Int, ticketsIssued: Int) -> WebinarError {
        WebinarError(
            kind: .conflict, code: "capacity_below_tickets",
            message: "Capacity \(capacity) is below the \(ticketsIssued) tickets already issued; "
                + "choose at least \(ticketsIssued).",
            field: "capacity")
    }

    public static let offerExpired = WebinarError(
        kind: .conflict, code: "offer_expired",
        message: "The seat offered to you was held until its deadline and has passed to the next person waiting; "
            + "register again to get back on the waiting list.")

    public static let notOffered = WebinarError(
        kind: .conflict, code: "not_offered",
        message: "This registration has no seat offered to it; only an open offer can be claimed or declined.")

    public static let notHeld = WebinarError(
        kind: .conflict, code: "not_held", message: "This comment is not waiting for review.")

    public static let notAQuestion = WebinarError(
        kind: .conflict, code: "not_a_question", message: "This comment was not asked as a question; only questions are answered.")
}
