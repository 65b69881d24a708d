import Foundation
import LiveHub
public import Webinar

/// The host's export of an event's registrations, shared by `GET /api/events/{slug}/registrations`
/// and `backchannel registrations export`, so both give the same columns.
public enum RegistrationExport {
    public static let columns = ["authorId", "name", "email", "status", "position", "createdAt", "offerExpiresAt"]

    /// RFC 4180 CSV with a header line (cells that would start a formula are prefixed with `'`).
    public static func csv(_ registrations: [Registration]) -> String {
        var text = CSVExport.line(self.columns)
        for registration in registrations { text += CSVExport.line(self.row(registration)) }
        return text
    }

    /// `{"registrations": [{authorId, name, email, status, position, offerExpiresAt, createdAt}]}`.
    public static func json(_ registrations: [Registration]) -> [UInt8] {
        struct List: Encodable { let registrations: [HostRegistrationBody] }
        return JSONBody.encode(List(registrations: registrations.map(HostRegistrationBody.init)))
    }

    static func row(_ registration: Registration) -> [String] {
        [
            registration.authorId, registration.name, registration.email, registration.status.rawValue,
            registration.position.map(String.init) ?? "", RFC3339.format(registration.createdAt),
            registration.offerExpiresAt.map(RFC3339.format) ?? "",
        ]
    }
}
