import Foundation
import HTTP1
import LiveHub
import Webinar

/// What the JSON API shares: the store, the threads that call it, and the secrets to check.
final class APIContext: Sendable {
    let store: any WebinarStore
    let executor: StoreExecutor
    /// The group-commit writer for `POST /api/events/{slug}/registrations`.
    let registrations: RegistrationWriter
    let adminTokenHash: String
    /// Wrong admin tokens, host keys and ticket codes, logged per address at most once a minute.
    let authFailures: AuthFailureLog
    let now: @Sendable () -> Date
    /// Tells live rooms about changed settings (moderation mode, slow mode, blocked words, public viewing).
    let eventChanged: @Sendable (Event) -> Void
    /// Tells live rooms, on every node, that registrations changed status (cancelled, promoted), so
    /// their holders' open sockets change role at once.
    let registrationsChanged: @Sendable ([Registration]) -> Void
    /// Wakes the mail sender after a change that may have queued mail (a cancellation, an event change).
    let mailQueued: @Sendable () -> Void
    /// Registrations and ticket-link requests per client address (issue 13); one table each.
    let registrationThrottle: RegistrationThrottle
    let ticketLinkThrottle: RegistrationThrottle
    /// Whose `X-Forwarded-For` names the client.
    let proxies: TrustedProxies

    init(
        store: any WebinarStore, executor: StoreExecutor, registrations: RegistrationWriter, adminTokenHash: String,
        authFailures: AuthFailureLog,
        eventChanged: @escaping @Sendable (Event) -> Void = { _ in },
        registrationsChanged: @escaping @Sendable ([Registration]) -> Void = { _ in },
        mailQueued: @escaping @Sendable () -> Void = {}, now: @escaping @Sendable () -> Date = { Date() },
        registrationRate: (limit: Int, windowSeconds: Int) = (10, 60), proxies: TrustedProxies = .none
    ) {
        self.mailQueued = mailQueued
        self.registrationThrottle = RegistrationThrottle(limit: registrationRate.limit, windowSeconds: registrationRate.windowSeconds)
        self.ticketLinkThrottle = RegistrationThrottle(limit: registrationRate.limit, windowSeconds: registrationRate.windowSeconds)
        self.proxies = proxies
        self.store = store
        self.executor = executor
        self.registrations = registrations
        self.adminTokenHash = adminTokenHash
        self.authFailures = authFailures
        self.eventChanged = eventChanged
        self.registrationsChanged = registrationsChanged
        self.now = now
    }

    /// Runs `work` on a store thread and answers with its response, or with the error it threw.
    func run(_ respond: Responder, _ work: @escaping @Sendable () throws -> HTTPResponse) {
        self.executor.submit {
            do {
                respond(try work())
            } catch {
                respond(Self.response(for: error))
            }
        }
    }

    /// The answer for an error thrown by API work: its own response, a domain failure's status and code,
    /// or a 500 `internal` for anything else.
    static func response(for error: any Error) -> HTTPResponse {
        switch error {
        case let error as HTTPResponseError:
            error.response
        case let error as WebinarError:
            HTTPResponseError(error).response
        default:
            HTTPResponseError(
                status: .internalServerError, code: "internal", message: "Something went wrong on our side; try again."
            ).response
        }
    }

    enum Caller { case admin, host }

    func requireAdmin(_ context: RequestContext) throws(HTTPResponseError) {
        guard let token = context.bearerToken else { throw .missingCredentials }
        guard Secrets.matches(token, hash: self.adminTokenHash) else {
            self.authenticationFailed(context, .adminToken)
            throw .wrongCredentials
        }
    }

    /// The admin token works wherever a host key does (contract: Who is who).
    func requireHost(_ context: RequestContext, slug: String) throws -> Caller {
        guard let token = context.bearerToken else { throw HTTPResponseError.missingCredentials }
        guard let caller = try self.caller(token: token, slug: slug) else {
            self.authenticationFailed(context, .hostKey)
            throw HTTPResponseError.wrongCredentials
        }
        return caller
    }

    /// Who a token belongs to for this event, if anyone; the caller records a failure.
    /// Throws `event_not_found` for unknown slugs.
    func caller(token: String, slug: String) throws -> Caller? {
        if Secrets.matches(token, hash: self.adminTokenHash) { return .admin }
        guard let hash = try self.store.hostKeyHash(slug: slug) else { throw WebinarError.eventNotFound }
        return Secrets.matches(token, hash: hash) ? .host : nil
    }

    /// Logs a wrong credential and holds the answer as long as the address has earned
    /// (``AuthPenalties``): someone guessing waits, the event loop does not. The address is the one
    /// the throttles count (behind a trusted proxy, the client it names, not the proxy everyone shares).
    func authenticationFailed(_ context: RequestContext, _ credential: AuthFailureLog.Credential) {
        context.answerDelay.raise(to: self.authFailures.record(client: self.clientAddress(context), credential: credential))
    }

    /// The registration a ticket code in the path names; a code that matches nothing is a failed
    /// authentication (logged) and `registration_not_found`.
    func registration(code: String, _ context: RequestContext) throws -> Registration {
        guard let registration = try self.store.registration(code: code) else {
            self.authenticationFailed(context, .ticketCode)
            throw WebinarError.registrationNotFound
        }
        return registration
    }

    /// The client a per-address limit counts: the peer, or behind a trusted proxy the address it names.
    func clientAddress(_ context: RequestContext) -> String {
        self.proxies.client(peer: context.client, forwardedFor: context.head.headers["X-Forwarded-For"])
    }

    /// Counts one request against `throttle` for this client; throws `rate_limited` (429, `Retry-After`)
    /// past the limit.
    func throttle(_ throttle: RegistrationThrottle, _ context: RequestContext) throws(WebinarError) {
        let now = UInt64(ProcessInfo.processInfo.systemUptime * 1000)
        guard let seconds = throttle.admit(client: self.clientAddress(context), now: now) else { return }
        throw WebinarError(
            kind: .rateLimited, code: "rate_limited",
            message: "Too many registrations from your address; try again in \(seconds) s.", retryAfter: seconds)
    }

    func json(_ status: HTTPStatus, _ value: some Encodable) -> HTTPResponse {
        .json(status, JSONBody.encode(value))
    }
}

extension HTTPResponseError {
    static let missingCredentials = HTTPResponseError(
        status: .unauthorized, code: "unauthorized",
        message: "This needs a key: send Authorization: Bearer <host key or admin token>.",
        headers: ["WWW-Authenticate": "Bearer"])
    static let wrongCredentials = HTTPResponseError(
        status: .forbidden, code: "forbidden", message: "This key does not give access here.")

    /// Domain failures keep their code and message; the kind picks the status.
    init(_ error: WebinarError) {
        let status: HTTPStatus =
            switch error.kind {
            case .invalid: .unprocessableContent
            case .notFound: .notFound
            case .conflict, .closed: .conflict
            case .forbidden: .forbidden
            case .rateLimited: .tooManyRequests
            }
        var headers: HTTPHeaders = [:]
        if let retry = error.retryAfter { headers.add(name: "Retry-After", value: String(retry)) }
        self.init(status: status, code: error.code, message: error.message, headers: headers)
    }
}
