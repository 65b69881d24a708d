import Foundation

/// One complete HTTP answer as a test sees it: status, fields and body.
public struct TestResponse {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a field, by case-insensitive name.
    public func header(_ name: String) -> String? {
        self.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public var text: String { String(decoding: self.body, as: UTF8.self) }

    /// The body as a JSON object; throws with the body's text when it is not one.
    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(self.body)) as? [String: Any] else {
            throw TestSocket.Failure(description: "not a JSON object: \(self.text)")
        }
        return object
    }

    /// The contract's error code, `{"error": {"code": …}}`.
    public var errorCode: String? {
        ((try? self.json())?["error"] as? [String: Any])?["code"] as? String
    }
}
