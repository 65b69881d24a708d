import Foundation
import HTTP1
import Webinar

/// `GET /api/events/{slug}/mail` (host): every message of the event, what became of it, and the mail
/// server's reply when it was deferred or refused.
enum MailAPI {
    static func add(to router: inout Router<Route>, api: APIContext) {
        router.add(
            .get, "/api/events/:slug/mail",
            .http { context, respond in
                let slug = context.parameters["slug"] ?? ""
                api.run(respond) {
                    _ = try api.requireHost(context, slug: slug)
                    struct List: Encodable { let messages: [MailRecordBody] }
                    return api.json(.ok, List(messages: try api.store.mailLog(slug: slug).map(MailRecordBody.init))).notStored
                }
            })
    }
}

/// One outbox message as the host sees it.
struct MailRecordBody: Encodable {
    let record: MailRecord

    enum Keys: String, CodingKey {
        case id, kind, name, email, status, attempts, createdAt, nextAttemptAt, finishedAt, reply
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(self.record.id, forKey: .id)
        try c.encode(self.record.kind.rawValue, forKey: .kind)
        try c.encode(self.record.name, forKey: .name)
        try c.encode(self.record.email, forKey: .email)
        try c.encode(self.record.status.rawValue, forKey: .status)
        try c.encode(self.record.attempts, forKey: .attempts)
        try c.encode(RFC3339.format(self.record.createdAt), forKey: .createdAt)
        try c.encode(self.record.nextAttemptAt.map(RFC3339.format), forKey: .nextAttemptAt)
        try c.encode(self.record.finishedAt.map(RFC3339.format), forKey: .finishedAt)
        try c.encode(self.record.reply, forKey: .reply)
    }
}
