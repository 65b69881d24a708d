import Foundation
import HTTP1
import Webinar

/// A request body read as a JSON object, with typed field access that names the field at fault.
///
/// The body must be declared `application/json` (a charset parameter is fine): a browser sends that
/// type from another site only after a CORS preflight, which this server never grants, while a
/// form or a "simple" fetch (`text/plain`, form types) goes without one (415 otherwise).
struct JSONRequest {
    private let object: [String: Any]

    init(_ request: HTTPRequest) throws(HTTPResponseError) {
        guard Self.isJSON(request.head.headers["Content-Type"]) else {
            throw HTTPResponseError(
                status: .unsupportedMediaType, code: "unsupported_media_type",
                message: "Send the body as JSON with Content-Type: application/json.")
        }
        guard !request.body.isEmpty else {
            throw HTTPResponseError(status: .badRequest, code: "bad_json", message: "The request needs a JSON object body.")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(request.body), options: [])
        } catch {
            throw HTTPResponseError(status: .badRequest, code: "bad_json", message: "The body is not valid JSON.")
        }
        guard let object = parsed as? [String: Any] else {
            throw HTTPResponseError(status: .badRequest, code: "bad_json", message: "The body must be a JSON object.")
        }
        self.object = object
    }

    /// Whether a Content-Type value is `application/json`, with or without parameters, in any case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    func has(_ key: String) -> Bool { self.object[key] != nil }

    func string(_ key: String) throws(WebinarError) -> String? {
        guard let value = self.object[key], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw .invalidField(key, "\(key) must be a string.") }
        return string
    }

    func requiredString(_ key: String) throws(WebinarError) -> String {
        guard let value = try self.string(key) else { throw .invalidField(key, "\(key) is required.") }
        return value
    }

    func int(_ key: String) throws(WebinarError) -> Int? {
        guard let value = self.object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !Self.isBoolean(number),
            let int = Int(exactly: number.doubleValue)
        else { throw .invalidField(key, "\(key) must be a whole number.") }
        return int
    }

    func requiredInt(_ key: String) throws(WebinarError) -> Int {
        guard let value = try self.int(key) else { throw .invalidField(key, "\(key) is required.") }
        return value
    }

    func bool(_ key: String) throws(WebinarError) -> Bool? {
        guard let value = self.object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, Self.isBoolean(number) else {
            throw .invalidField(key, "\(key) must be true or false.")
        }
        return number.boolValue
    }

    /// JSONSerialization gives booleans as NSNumber too; their type encoding is `c`.
    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    func date(_ key: String) throws(WebinarError) -> Date? {
        guard let text = try self.string(key) else { return nil }
        return try RFC3339.date(text, field: key)
    }

    func stringArray(_ key: String) throws(WebinarError) -> [String]? {
        guard let value = self.object[key], !(value is NSNull) else { return nil }
        guard let array = value as? [Any], array.allSatisfy({ $0 is String }) else {
            throw .invalidField(key, "\(key) must be a list of strings.")
        }
        return array.compactMap { $0 as? String }
    }
}
