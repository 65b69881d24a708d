import Foundation
import ServerTesting

/// A registration as one test thread saw it answered.
struct Registered: Sendable, Hashable {
    let email: String
    let httpStatus: Int
    /// Only in the answer that created the registration (registering again answers without it).
    let code: String?
    /// Likewise: the public id the host's list shows.
    let authorId: String?
    let status: String
    let position: Int?

    init?(email: String, response: TestResponse) {
        guard let json = try? response.json(), let status = json.string("status") else { return nil }
        self.email = email
        self.httpStatus = response.status
        self.code = json.string("code")
        self.authorId = json.string("authorId")
        self.status = status
        self.position = json.int("position")
    }
}
