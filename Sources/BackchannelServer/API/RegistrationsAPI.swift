import Foundation
import HTTP1
import Sockets
import Webinar

/// Registrations: register, look up, cancel, and the host's list (contract: HTTP).
enum RegistrationsAPI {
    static func add(to router: inout Router<Route>, api: APIContext) {
        router.add(
            .post, "/api/events/:slug/registrations",
            .http { context, respond in
                let slug = context.parameters["slug"] ?? ""
                // Everything that needs no store is checked here, on the loop; the rest is group-committed.
                let request: RegistrationRequest
                do {
                    request = try Self.request(slug: slug, from: JSONRequest(context.request))
                } catch {
                    return respond(APIContext.response(for: error))
                }
                // Throttled per client address, unless sent with the event's host key or the admin token
                // (`rehearse` and the benchmarks register their simulated people that way).
                guard let token = context.bearerToken else {
                    do {
                        try api.throttle(api.registrationThrottle, context)
                    } catch {
                        return respond(APIContext.response(for: error))
                    }
                    return Self.submit(request, context, respond, api)
                }
                if Secrets.matches(token, hash: api.adminTokenHash) { return Self.submit(request, context, respond, api) }
                api.executor.submit {
                    do {
                        guard try api.caller(token: token, slug: slug) != nil else {
                            api.authenticationFailed(context, .hostKey)
                            return respond(HTTPResponseError.wrongCredentials.response)
                        }
                        Self.submit(request, context, respond, api)
                    } catch {
                        respond(APIContext.response(for: error))
                    }
                }
            })
        router.add(
            .post, "/api/registrations/resend",
            .http { context, respond in
                api.run(respond) {
                    try api.throttle(api.ticketLinkThrottle, context)
                    let body = try JSONRequest(context.request)
                    let slug = try body.requiredString("event")
                    let email = try Validation.email(try body.requiredString("email"))
                    // The same answer whether or not the email is registered: nobody can probe who is.
                    _ = try api.store.requestTicketLink(slug: slug, email: email, now: api.now())
                    api.mailQueued()
                    return .json(.accepted, TicketLinkAnswer.body)
                }
            })
        router.add(
            .post, "/api/registrations/recover",
            .http { context, respond in
                api.run(respond) {
                    let token = try JSONRequest(context.request).requiredString("token")
                    do {
                        let registration = try api.store.recoverTicket(token: token, now: api.now())
                        return api.json(.ok, RegistrationBody(registration: registration)).notStored
                    } catch let error as WebinarError where error.code == WebinarError.recoveryLinkInvalid.code {
                        api.authenticationFailed(context, .ticketCode)
                        throw error
                    }
                }
            })
        router.add(
            .get, "/api/registrations/:code",
            .http { context, respond in
                let code = context.parameters["code"] ?? ""
                api.run(respond) {
                    var registration = try api.registration(code: code, context)
                    registration.code = code  // the caller's own
                    return api.json(.ok, RegistrationBody(registration: registration)).notStored
                }
            })
        router.add(
            .delete, "/api/registrations/:code",
            .http { context, respond in
                let code = context.parameters["code"] ?? ""
                api.run(respond) {
                    let (registration, promoted) = try Self.unlessUnknown(context, api) { try api.store.cancel(code: code, now: api.now()) }
                    api.registrationsChanged([registration] + (promoted.map { [$0] } ?? []))
                    api.mailQueued()
                    struct Cancelled: Encodable {
                        let code: String
                        let status: String
                    }
                    return api.json(.ok, Cancelled(code: code, status: registration.status.rawValue)).notStored
                }
            })
        router.add(
            .post, "/api/registrations/:code/claim",
            .http { context, respond in
                let code = context.parameters["code"] ?? ""
                api.run(respond) {
                    var registration = try Self.unlessUnknown(context, api) { try api.store.claimOffer(code: code, now: api.now()) }
                    api.registrationsChanged([registration])
                    api.mailQueued()
                    registration.code = code  // the caller's own
                    return api.json(.ok, RegistrationBody(registration: registration)).notStored
                }
            })
        router.add(
            .post, "/api/registrations/:code/decline",
            .http { context, respond in
                let code = context.parameters["code"] ?? ""
                api.run(respond) {
                    var (registration, promoted) = try Self.unlessUnknown(context, api) {
                        try api.store.declineOffer(code: code, now: api.now())
                    }
                    api.registrationsChanged([registration] + (promoted.map { [$0] } ?? []))
                    api.mailQueued()
                    registration.code = code
                    return api.json(.ok, RegistrationBody(registration: registration)).notStored
                }
            })
        router.add(
            .get, "/api/events/:slug/registrations",
            .http { context, respond in
                let slug = context.parameters["slug"] ?? ""
                api.run(respond) {
                    _ = try api.requireHost(context, slug: slug)
                    let registrations = try api.store.registrations(slug: slug)
                    switch context.query["format"] {
                    case "csv":
                        return CSVExport.response(
                            filename: "\(slug)-registrations.csv",
                            header: RegistrationExport.columns, rows: registrations.map(RegistrationExport.row)
                        ).notStored
                    case nil, "json":
                        return HTTPResponse.json(.ok, RegistrationExport.json(registrations)).notStored
                    case let other?:
                        throw WebinarError.invalidField("format", "format must be csv or json, not \(other).")
                    }
                }
            })
    }

    /// Queues `request` for the next group commit and answers once it is committed: 201 with the new
    /// code, or for a known email 200 without it (the code goes to its owner's mailbox).
    private static func submit(_ request: RegistrationRequest, _ context: RequestContext, _ respond: Responder, _ api: APIContext) {
        let loop = context.connection.loop
        api.registrations.submit(request) { result in
            // Committed: the answer is encoded on the connection's loop, not on the writer thread.
            switch result {
            case .success(let (registration, true)):
                loop.execute { respond(api.json(.created, RegistrationBody(registration: registration)).notStored) }
            case .success(let (registration, false)):
                api.run(respond) {
                    _ = try api.store.requestTicketLink(slug: request.slug, email: registration.email, now: api.now())
                    api.mailQueued()
                    return api.json(.ok, ExistingRegistrationBody(registration: registration)).notStored
                }
            case .failure(let error):
                loop.execute { respond(APIContext.response(for: error)) }
            }
        }
    }

    /// `change`'s result; an unknown code counts as a failed authentication (a guessed code).
    private static func unlessUnknown<T>(_ context: RequestContext, _ api: APIContext, _ change: () throws -> T) throws -> T {
        do {
            return try change()
        } catch let error as WebinarError where error.code == WebinarError.registrationNotFound.code {
            api.authenticationFailed(context, .ticketCode)
            throw error
        }
    }

    /// The body of `POST /api/events/{slug}/registrations`, checked (name and email rules) before the store sees it.
    static func request(slug: String, from body: JSONRequest) throws -> RegistrationRequest {
        let new = try NewRegistration(name: try body.requiredString("name"), email: try body.requiredString("email"))
        return RegistrationRequest(slug: slug, registrant: new)
    }
}
