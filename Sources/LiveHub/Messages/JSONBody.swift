import Foundation

/// JSON encoding shared by every answer, HTTP and live: one encoder configuration, errors in the
/// contract's shape.
package enum JSONBody {
    package static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array(#"{"error":{"code":"internal","message":"encoding failed"}}"#.utf8)
    }

    package static func error(code: String, message: String) -> [UInt8] {
        struct Wrapper: Encodable {
            struct Body: Encodable {
                let code: String
                let message: String
            }
            let error: Body
        }
        return self.encode(Wrapper(error: .init(code: code, message: message)))
    }
}
