import Foundation
import FuzzSupport
import HTTP1
import Webinar

@testable import BackchannelServer

/// The JSON request bodies of the API on anything: each input is decoded as the body of
/// `POST /api/events`, `PATCH /api/events/{slug}` and `POST /api/events/{slug}/registrations`,
/// exactly as the routes decode it, then run through the domain checks the store applies
/// (`NewEvent.validated`, `EventPatch.applied`). Checked: every refusal is a `WebinarError` with
/// a code and a message (a 400/422 for the client, never a crash or an untyped error), and what
/// passes keeps the domain's rules.
private let target: FuzzTarget = { data, size in
    let request = HTTPRequest(
        head: HTTPRequestHead(
            method: .post, target: "/api/events", version: .http1_1, headers: ["Content-Type": "application/json"]),
        body: FuzzInput(data, size).rest)
    let body: JSONRequest
    do throws(HTTPResponseError) {
        body = try JSONRequest(request)
    } catch {
        precondition(error.status.code == 400 && error.code == "bad_json", "\(error)")
        return 0
    }
    refusal {
        let event = try EventsAPI.newEvent(from: body).validated()
        precondition(event.capacity >= 0 && !event.title.isEmpty, "validated event \(event)")
    }
    refusal {
        let changed = try EventsAPI.patch(from: body).applied(to: existing)
        precondition(changed.id == existing.id && changed.slug == existing.slug, "a patch changed the event's identity")
    }
    refusal {
        let request = try RegistrationsAPI.request(slug: "launch", from: body)
        let registrant = try request.registrant.get()
        precondition(!registrant.name.isEmpty && registrant.email.contains("@"), "accepted \(registrant)")
    }
    return 0
}

private let existing = Event(
    id: 7, slug: "launch", title: "Launch", startsAt: Date(timeIntervalSince1970: 1_795_000_000), capacity: 10,
    ticketsIssued: 3, createdAt: Date(timeIntervalSince1970: 1_790_000_000))

/// Runs `body`; a refusal must be a domain error a client can be shown.
private func refusal(_ body: () throws -> Void) {
    do {
        try body()
    } catch let error as WebinarError {
        precondition(!error.code.isEmpty && !error.message.isEmpty, "\(error)")
    } catch {
        preconditionFailure("an error the API cannot answer: \(error)")
    }
}

@_cdecl("fuzz_json_bodies_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, target)
}
