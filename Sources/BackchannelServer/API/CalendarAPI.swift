import Foundation
import HTTP1
import Mail
import Webinar

/// The ticket page's "Add to calendar": the holder downloads the same invitation the confirmation
/// mail carries (same UID, so a calendar keeps one entry for both), with the event's current times.
enum CalendarAPI {
    /// `composer` is the mail sender's, known once the port is bound (its links use the bound address).
    static func add(to router: inout Router<Route>, api: APIContext, composer: @escaping @Sendable () -> MailComposer?) {
        router.add(
            .get, "/api/registrations/:code/calendar.ics",
            .http { context, respond in
                let code = context.parameters["code"] ?? ""
                api.run(respond) {
                    let registration = try api.registration(code: code, context)
                    guard registration.status == .ticketed else {
                        throw WebinarError(
                            kind: .forbidden, code: "not_ticketed",
                            message: "Only a ticket has a calendar entry; this registration is \(registration.status.rawValue).")
                    }
                    guard let event = try api.store.event(slug: registration.eventSlug), let composer = composer() else {
                        throw WebinarError.eventNotFound
                    }
                    let now = api.now()
                    // Sequence 0: a calendar that already has a later update from the mail keeps it (the
                    // same times), and later updates by mail still apply to this entry.
                    let mail = OutboxMail(
                        id: 0, kind: .confirmed, event: event, scheduleSequence: 0, registration: registration, position: nil,
                        linkSecret: code, attempts: 0, createdAt: now)  // the caller's own code: its ticket link
                    guard let to = try? MailAddress(registration.email, name: registration.name),
                        let invite = composer.invite(for: mail, to: to, now: now)
                    else { throw WebinarError.registrationNotFound }
                    var response = HTTPResponse(status: .ok, body: Array(invite.ics().utf8))
                    response.headers.add(name: "Content-Type", value: "text/calendar; charset=utf-8; method=REQUEST")
                    response.headers.add(name: "Content-Disposition", value: "attachment; filename=\"\(event.slug).ics\"")
                    return response.notStored
                }
            })
    }
}
