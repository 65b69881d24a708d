import BackchannelServer
import Foundation
import ServerTesting
import Testing

/// No public answer ever contains an email address or a ticket code other than the caller's own; and
/// since issue 13 not even one's own code unless one sent it or it was just made (registering again
/// and asking for a link answer without it).
@Suite struct RegistrationPrivacyTests {
    struct Person {
        let name: String
        let email: String
        var code = ""
    }

    /// Every public answer of a whole registration flow, each with the code its caller may see (if any).
    @Test func publicAnswersNeverShowEmailsOrOtherPeoplesCodes() throws {
        let server = try TestServer { $0.staticDirectory = PackagePaths.staticDirectory }
        defer { server.stop() }
        let api = try APIClient(port: server.port)
        let hostKey = try api.createEvent(slug: "private", capacity: 2, extra: ["description": "Who comes?", "claimWindowMinutes": 0])

        var people = [
            Person(name: "Ann", email: "ann.private@example.com"),
            Person(name: "Bob", email: "Bob.Private@Example.com"),
            Person(name: "Cy", email: "cy.private@example.net"),
            Person(name: "Di", email: "di.private@example.org"),
        ]
        var answers: [(what: String, body: String, own: String?)] = []
        func collect(_ what: String, _ response: TestResponse, own: String? = nil) {
            answers.append((what, response.text, own))
        }

        for index in people.indices {
            let response = try api.register(slug: "private", name: people[index].name, email: people[index].email)
            #expect(response.status == 201)
            people[index].code = try #require(try response.json().string("code"))
            collect("register \(people[index].name)", response, own: people[index].code)
        }
        for person in people {
            collect("lookup \(person.name)", try api.request("GET", "/api/registrations/\(person.code)"), own: person.code)
            let again = try api.register(slug: "private", name: person.name, email: " \(person.email.uppercased()) ")
            #expect(again.status == 200)
            #expect(try again.json().bool("linkSent") == true && again.json().string("code") == nil)
            collect("register again \(person.name)", again)
            let resend = try api.request("POST", "/api/registrations/resend", json: ["event": "private", "email": person.email])
            #expect(resend.status == 202)
            collect("resend \(person.name)", resend)
            collect("ticket page \(person.name)", try api.request("GET", "/tickets/\(person.code)"), own: person.code)
        }
        // Ann cancels: Cy is promoted. Then everything public is read once more.
        collect("cancel Ann", try api.request("DELETE", "/api/registrations/\(people[0].code)"), own: people[0].code)
        collect("cancel Ann again", try api.request("DELETE", "/api/registrations/\(people[0].code)"), own: people[0].code)
        collect("lookup Cy after promotion", try api.request("GET", "/api/registrations/\(people[2].code)"), own: people[2].code)
        #expect(try api.request("PATCH", "/api/events/private", json: ["registrationOpen": false], token: hostKey).status == 200)
        collect("closed", try api.register(slug: "private", name: "Eve", email: "eve@example.com"))
        let stranger = try api.request("POST", "/api/registrations/resend", json: ["event": "private", "email": "eve@example.com"])
        collect("resend for an unknown email", stranger)
        let known = answers.first { $0.what == "resend Bob" }?.body
        #expect(stranger.status == 202 && stranger.text == known, "the same answer whether or not the email is registered")
        collect(
            "recover with a made-up token",
            try api.request("POST", "/api/registrations/recover", json: ["token": "bch_r_0000000000000000000000"]))
        collect("event", try api.request("GET", "/api/events/private"))
        collect("event list", try api.request("GET", "/api/events"))
        collect("event with a wrong key", try api.request("GET", "/api/events/private", token: "wrong"))
        collect("comments", try api.request("GET", "/api/events/private/comments"))
        collect("list without key", try api.request("GET", "/api/events/private/registrations"))
        collect("list with wrong key", try api.request("GET", "/api/events/private/registrations?format=csv", token: "wrong"))
        for path in ["/", "/events/private", "/events/private/live", "/events/private/archive", "/healthz"] {
            collect("page \(path)", try api.request("GET", path))
        }

        #expect(answers.count >= 30)
        let event = try api.event("private")
        #expect(event.string("description") == "Who comes?")
        for answer in answers {
            let body = answer.body.lowercased()
            for person in people {
                #expect(!body.contains(person.email.lowercased()), "\(answer.what) shows \(person.name)'s email")
                if person.code != answer.own {
                    #expect(!answer.body.contains(person.code), "\(answer.what) shows \(person.name)'s code")
                }
            }
            #expect(!body.contains("@example."), "\(answer.what) shows an email address")
        }
        // The flow did reach the pages and the holder's own answers (so the scan looked at real content).
        #expect(answers.first { $0.what == "page /events/private" }.map { $0.body.contains("<") } == true)
        #expect(answers.first { $0.what == "lookup Cy after promotion" }.map { $0.body.contains("ticketed") } == true)

        // The host does see the emails (so the scan above would have caught them had they leaked).
        let hostView = try api.request("GET", "/api/events/private/registrations", token: hostKey).text.lowercased()
        for person in people { #expect(hostView.contains(person.email.lowercased())) }
        // ...but no code: people are told apart by authorId (the store keeps only hashes).
        let hostList = try api.request("GET", "/api/events/private/registrations?format=csv", token: hostKey).text
        #expect(hostList.hasPrefix("authorId,name,email"))
        for person in people { #expect(!hostList.contains(person.code) && !hostView.contains(person.code.lowercased())) }
    }
}
