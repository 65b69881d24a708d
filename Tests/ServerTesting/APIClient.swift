import Foundation

/// A keep-alive JSON client over one `TestSocket`: what a browser or script sends to the API.
public final class APIClient {
    public static let adminToken = TestSecrets.adminToken

    public let socket: TestSocket
    public let port: Int

    /// `source`: the local loopback address to connect from (one per simulated person).
    public init(port: Int, timeoutSeconds: Int = 10, source: String? = nil) throws {
        self.port = port
        self.socket = try TestSocket(port: port, source: source, timeoutSeconds: timeoutSeconds)
    }

    /// Sends one request (a JSON value, or raw body text) and reads its response.
    public func request(
        _ method: String, _ path: String, json: Any? = nil, body: String? = nil, token: String? = nil,
        headers: [String] = []
    ) throws -> TestResponse {
        var payload: [UInt8] = []
        if let json { payload = Array(try JSONSerialization.data(withJSONObject: json)) }
        if let body { payload = Array(body.utf8) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(self.port)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if json != nil || body != nil {
            head += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n"
        }
        for line in headers { head += line + "\r\n" }
        self.socket.send(Array((head + "\r\n").utf8) + payload)
        return try self.socket.readResponse()
    }

    /// Creates an event as admin and returns its host key.
    @discardableResult
    public func createEvent(slug: String, capacity: Int, extra: [String: Any] = [:]) throws -> String {
        var body: [String: Any] = ["slug": slug, "title": "Webinar \(slug)", "startsAt": "2030-11-28T14:00:00Z", "capacity": capacity]
        body.merge(extra) { _, new in new }
        let response = try self.request("POST", "/api/events", json: body, token: Self.adminToken)
        guard response.status == 201, let hostKey = try response.json()["hostKey"] as? String else {
            throw TestSocket.Failure(description: "creating \(slug) failed: \(response.status) \(response.text)")
        }
        return hostKey
    }

    public func register(slug: String, name: String, email: String) throws -> TestResponse {
        try self.request("POST", "/api/events/\(slug)/registrations", json: ["name": name, "email": email])
    }

    /// The event as anyone sees it.
    public func event(_ slug: String) throws -> [String: Any] {
        let response = try self.request("GET", "/api/events/\(slug)")
        guard response.status == 200 else { throw TestSocket.Failure(description: "GET event: \(response.status) \(response.text)") }
        return try response.json()
    }

    /// The registration as its holder sees it.
    public func registration(_ code: String) throws -> [String: Any] {
        let response = try self.request("GET", "/api/registrations/\(code)")
        guard response.status == 200 else { throw TestSocket.Failure(description: "GET registration: \(response.status) \(response.text)") }
        return try response.json()
    }

    /// The host list, `{registrations: [...]}`, read with `token` (admin by default).
    public func hostList(_ slug: String, token: String = APIClient.adminToken) throws -> [[String: Any]] {
        let response = try self.request("GET", "/api/events/\(slug)/registrations", token: token)
        guard response.status == 200, let list = try response.json()["registrations"] as? [[String: Any]] else {
            throw TestSocket.Failure(description: "host list: \(response.status) \(response.text)")
        }
        return list
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The value at `key` as an Int, or nil for null or absent.
    public func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    public func string(_ key: String) -> String? { self[key] as? String }
    public func bool(_ key: String) -> Bool? { (self[key] as? NSNumber)?.boolValue }
}
