import Foundation
import HTTP1
import LiveHub
import Webinar

/// The archive: cursor pages, whole-archive export, and the moderation log (contract: HTTP).
///
/// An event without public viewing keeps its comments to the people its live room admits: ticket
/// holders (their code in `Authorization: Bearer`), its host and the admin.
enum CommentsAPI {
    static let maxPage = 500

    static func add(to router: inout Router<Route>, api: APIContext) {
        router.add(
            .get, "/api/events/:slug/comments",
            .http { context, respond in
                let slug = context.parameters["slug"] ?? ""
                api.run(respond) {
                    guard let event = try api.store.event(slug: slug) else { throw WebinarError.eventNotFound }
                    var includeHidden = false
                    if context.query["all"] == "1" {
                        _ = try api.requireHost(context, slug: slug)
                        includeHidden = true
                    } else if !event.publicViewing {
                        try self.requireReader(context, event: event, api: api)
                    }
                    switch context.query["format"] {
                    case nil:
                        return try self.page(event: event, context: context, includeHidden: includeHidden, api: api)
                    case "json", "csv":
                        return try self.export(event: event, format: context.query["format"]!, includeHidden: includeHidden, api: api)
                    case let other?:
                        throw WebinarError.invalidField("format", "format must be csv or json, not \(other).")
                    }
                }
            })
        router.add(
            .get, "/api/events/:slug/moderation-log",
            .http { context, respond in
                let slug = context.parameters["slug"] ?? ""
                api.run(respond) {
                    _ = try api.requireHost(context, slug: slug)
                    guard let event = try api.store.event(slug: slug) else { throw WebinarError.eventNotFound }
                    struct Entry: Encodable {
                        let id: Int64
                        let actor: String
                        let action: String
                        let target: String?
                        let detail: String?
                        let createdAt: String
                    }
                    struct Log: Encodable { let entries: [Entry] }
                    let entries = try api.store.moderationLog(eventId: event.id).map {
                        Entry(
                            id: $0.id, actor: $0.actor.rawValue, action: $0.action.rawValue, target: $0.target,
                            detail: $0.detail, createdAt: RFC3339.format($0.createdAt))
                    }
                    return api.json(.ok, Log(entries: entries))
                }
            })
    }

    /// A ticket holder of `event`, its host or the admin; else 401 `ticket_required` (no credential),
    /// 403 `not_ticketed` (a waitlisted code) or 403 `forbidden` (anything else).
    private static func requireReader(_ context: RequestContext, event: Event, api: APIContext) throws {
        guard let token = context.bearerToken else { throw HTTPResponseError.ticketRequired }
        if try api.caller(token: token, slug: event.slug) != nil { return }
        if let registration = try api.store.registration(code: token), registration.eventId == event.id {
            switch registration.status {
            case .ticketed: return
            case .waitlisted, .offered: throw HTTPResponseError.notTicketed
            case .cancelled: throw HTTPResponseError.wrongCredentials
            }
        }
        api.authenticationFailed(context, SecretCode.looksLike(token, kind: .ticketCode) ? .ticketCode : .hostKey)
        throw HTTPResponseError.wrongCredentials
    }

    private static func page(event: Event, context: RequestContext, includeHidden: Bool, api: APIContext) throws -> HTTPResponse {
        let after = try self.integer(context.query["after"], field: "after", range: 0...Int64.max) ?? 0
        let limit = Int(try self.integer(context.query["limit"], field: "limit", range: 1...Int64(self.maxPage)) ?? 100)
        let comments = try api.store.comments(eventId: event.id, after: after, limit: limit, includeHidden: includeHidden)
        struct Page: Encodable {
            let comments: [CommentBody]
            let next: Int64?
            enum Keys: String, CodingKey { case comments, next }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(self.comments, forKey: .comments)
                try c.encode(self.next, forKey: .next)
            }
        }
        let next = comments.count == limit ? comments.last?.id : nil
        return api.json(.ok, Page(comments: comments.map { CommentBody(comment: $0, forHost: includeHidden) }, next: next))
    }

    private static func export(event: Event, format: String, includeHidden: Bool, api: APIContext) throws -> HTTPResponse {
        var all: [Comment] = []
        var after: Int64 = 0
        while true {
            let page = try api.store.comments(eventId: event.id, after: after, limit: self.maxPage, includeHidden: includeHidden)
            all.append(contentsOf: page)
            guard page.count == self.maxPage, let last = page.last else { break }
            after = last.id
        }
        if format == "csv" {
            return CSVExport.response(
                filename: "\(event.slug)-comments.csv",
                header: ["id", "replyTo", "authorId", "author", "text", "likes", "pinned", "createdAt", "role"],
                rows: all.map {
                    [
                        String($0.id), $0.replyTo.map(String.init) ?? "", $0.authorId, $0.author, $0.text, String($0.likes),
                        String($0.pinned), RFC3339.format($0.createdAt), $0.role?.rawValue ?? "",
                    ]
                })
        }
        struct Archive: Encodable {
            let event: String
            let title: String
            let comments: [CommentBody]
        }
        var response = api.json(
            .ok,
            Archive(
                event: event.slug, title: event.title,
                comments: all.map { CommentBody(comment: $0, forHost: includeHidden) }))
        response.headers.add(name: "Content-Disposition", value: "attachment; filename=\"\(event.slug)-comments.json\"")
        return response
    }

    private static func integer(_ text: String?, field: String, range: ClosedRange<Int64>) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw WebinarError.invalidField(field, "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }
}

extension HTTPResponseError {
    static let ticketRequired = HTTPResponseError(
        status: .unauthorized, code: "ticket_required",
        message: "This event's comments are for ticket holders: send Authorization: Bearer <your ticket code> (or the host key).",
        headers: ["WWW-Authenticate": "Bearer"])
    static let notTicketed = HTTPResponseError(
        status: .forbidden, code: "not_ticketed",
        message: "You are on the waiting list; this event's comments are for ticket holders.")
}
