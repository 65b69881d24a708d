import Foundation
import HTTP1
import Webinar

/// `/api/events…`: create, read, list and change events (contract: HTTP).
enum EventsAPI {
    static func add(to router: inout Router<Route>, api: APIContext) {
        router.add(
            .post, "/api/events",
            .http { context, respond in
                api.run(respond) {
                    try api.requireAdmin(context)
                    let new = try Self.newEvent(from: JSONRequest(context.request))
                    let hostKey = SecretCode.make(.hostKey)
                    let event = try api.store.createEvent(new, hostKeyHash: Secrets.hash(hostKey), now: api.now())
                    return api.json(
                        .created, CreatedEventBody(event: EventBody(event: event, now: api.now(), forHost: true), hostKey: hostKey)
                    )
                    .notStored
                }
            })
        router.add(
            .get, "/api/events",
            .http { _, respond in
                api.run(respond) {
                    struct List: Encodable { let events: [EventBody] }
                    let now = api.now()
                    return api.json(.ok, List(events: try api.store.events().map { EventBody(event: $0, now: now, forHost: false) }))
                }
            })
        router.add(
            .get, "/api/events/:slug",
            .http { context, respond in
                let slug = context.parameters["slug"] ?? ""
                api.run(respond) {
                    guard let event = try api.store.event(slug: slug) else { throw WebinarError.eventNotFound }
                    var forHost = false
                    if let token = context.bearerToken {
                        forHost = try api.caller(token: token, slug: slug) != nil
                        if !forHost { api.authenticationFailed(context, .hostKey) }
                    }
                    return api.json(.ok, EventBody(event: event, now: api.now(), forHost: forHost))
                }
            })
        router.add(
            .patch, "/api/events/:slug",
            .http { context, respond in
                let slug = context.parameters["slug"] ?? ""
                api.run(respond) {
                    _ = try api.requireHost(context, slug: slug)
                    let patch = try Self.patch(from: JSONRequest(context.request))
                    let (event, promoted) = try api.store.updateEvent(slug: slug, patch: patch, now: api.now())
                    api.eventChanged(event)
                    api.registrationsChanged(promoted)
                    api.mailQueued()
                    return api.json(.ok, EventBody(event: event, now: api.now(), forHost: true))
                }
            })
    }

    /// The body of `POST /api/events`, field by field (the store validates the values).
    static func newEvent(from body: JSONRequest) throws -> NewEvent {
        guard let startsAt = try body.date("startsAt") else {
            throw WebinarError.invalidField("startsAt", "startsAt is required (RFC 3339, e.g. 2026-11-28T14:00:00Z).")
        }
        let moderation = try body.string("moderation").map { value throws -> ModerationMode in
            guard let mode = ModerationMode(rawValue: value) else {
                throw WebinarError.invalidField("moderation", "moderation must be \"open\" or \"review\".")
            }
            return mode
        }
        return NewEvent(
            slug: try body.string("slug"), title: try body.requiredString("title"),
            description: try body.string("description"), startsAt: startsAt, endsAt: try body.date("endsAt"),
            timeZone: try body.string("timeZone"), capacity: try body.requiredInt("capacity"),
            publicViewing: try body.bool("publicViewing"),
            moderation: moderation, claimWindowMinutes: try body.int("claimWindowMinutes"))
    }

    /// The body of `PATCH /api/events/{slug}`: only the fields present change.
    static func patch(from body: JSONRequest) throws -> EventPatch {
        var patch = EventPatch()
        patch.title = try body.string("title")
        patch.description = try body.string("description")
        patch.startsAt = try body.date("startsAt")
        if body.has("endsAt") { patch.endsAt = .some(try body.date("endsAt")) }
        if body.has("timeZone") { patch.timeZone = .some(try body.string("timeZone")) }
        patch.capacity = try body.int("capacity")
        patch.registrationOpen = try body.bool("registrationOpen")
        if let mode = try body.string("moderation") {
            guard let parsed = ModerationMode(rawValue: mode) else {
                throw WebinarError.invalidField("moderation", "moderation must be \"open\" or \"review\".")
            }
            patch.moderation = parsed
        }
        patch.slowModeSeconds = try body.int("slowModeSeconds")
        patch.publicViewing = try body.bool("publicViewing")
        patch.blockedWords = try body.stringArray("blockedWords")
        patch.claimWindowMinutes = try body.int("claimWindowMinutes")
        return patch
    }
}
