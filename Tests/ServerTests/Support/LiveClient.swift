import Foundation
import ServerTesting

/// A live-room client: JSON messages over `TestWebSocket`, presence updates skipped unless asked for.
final class LiveClient: @unchecked Sendable {  // each test uses one client from one thread at a time
    let ws: TestWebSocket

    init(port: Int, slug: String, origin: String? = nil, source: String? = nil) throws {
        self.ws = try TestWebSocket(
            port: port, path: "/api/events/\(slug)/live",
            extraHeaders: origin.map { "Origin: \($0)\r\n" } ?? "", source: source)
    }

    func send(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object)
        self.ws.send(text: String(decoding: data, as: UTF8.self))
    }

    /// The next message that isn't presence (nil on timeout or close).
    func next(includePresence: Bool = false) -> [String: Any]? {
        while let text = self.ws.receiveText() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            if !includePresence, object["type"] as? String == "presence" { continue }
            return object
        }
        return nil
    }

    /// The next message of this type, skipping others.
    func next(type: String) -> [String: Any]? {
        while let message = self.next(includePresence: type == "presence") {
            if message["type"] as? String == type { return message }
        }
        return nil
    }

    @discardableResult
    func join(ticket: String? = nil, hostKey: String? = nil, since: Int64? = nil) -> [String: Any]? {
        var message: [String: Any] = ["type": "join"]
        if let ticket { message["ticket"] = ticket }
        if let hostKey { message["hostKey"] = hostKey }
        if let since { message["since"] = since }
        self.send(message)
        return self.next(type: "welcome")
    }
}

/// Creating events and registrations over HTTP, as a host and attendees would.
enum Fixture {
    static let adminToken = TestSecrets.adminToken

    static func request(_ port: Int, _ method: String, _ path: String, body: [String: Any]? = nil, token: String? = nil) throws
        -> TestResponse
    {
        let socket = try TestSocket(port: port)
        var payload = ""
        if let body { payload = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(payload.utf8.count)\r\n"
        if body != nil { head += "Content-Type: application/json\r\n" }
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        socket.send(head + "\r\n" + payload)
        return try socket.readResponse()
    }

    /// The moderation log's entries once it shows `count` entries of `action`: the writer thread logs
    /// an action just behind it, so the entry may take a moment. Throws when 10 seconds pass without.
    static func moderationLog(_ port: Int, slug: String, hostKey: String, until action: String, count: Int = 1) throws
        -> [[String: Any]]
    {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let log = try self.request(port, "GET", "/api/events/\(slug)/moderation-log", token: hostKey)
            let entries = try log.json()["entries"] as? [[String: Any]] ?? []
            if entries.filter({ $0["action"] as? String == action }).count >= count { return entries }
            guard Date() < deadline else {
                throw TestSocket.Failure(description: "the moderation log never showed \(count) \(action): \(entries)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Creates an event; returns its host key.
    static func event(_ port: Int, slug: String, capacity: Int = 100, moderation: String = "open") throws -> String {
        let response = try self.request(
            port, "POST", "/api/events",
            body: [
                "slug": slug, "title": "Launch \(slug)", "startsAt": "2026-11-28T14:00:00Z", "capacity": capacity,
                "moderation": moderation,
            ], token: self.adminToken)
        guard response.status == 201, let key = try response.json()["hostKey"] as? String else {
            throw TestSocket.Failure(description: "event not created: \(response.status) \(response.text)")
        }
        return key
    }

    /// Registers someone; returns (code, status).
    static func register(_ port: Int, slug: String, name: String) throws -> (code: String, status: String) {
        let response = try self.request(
            port, "POST", "/api/events/\(slug)/registrations",
            body: ["name": name, "email": "\(name.lowercased())@example.com"])
        let json = try response.json()
        guard let code = json["code"] as? String, let status = json["status"] as? String else {
            throw TestSocket.Failure(description: "not registered: \(response.text)")
        }
        return (code, status)
    }
}
