import BackchannelServer
import Testing

/// The mail keys: what must go together, what must parse, and that the password never shows.
@Suite struct MailConfigurationTests {
    static func error(_ change: (inout ServerConfiguration) -> Void) -> String? {
        var configuration = ServerConfiguration()
        change(&configuration)
        do {
            try configuration.validate()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aMailServerNeedsAPublicAddressAndASender() {
        let smtp: (inout ServerConfiguration) -> Void = { $0.mailSMTPURL = "smtp://ada:hunter2@mail.example.org:587" }
        #expect(Self.error(smtp)?.hasPrefix("public.url is required with mail.smtp.url") == true)
        #expect(
            Self.error {
                smtp(&$0)
                $0.publicURL = "https://events.example.org"
            }?.hasPrefix("mail.from is required") == true)
        #expect(
            Self.error {
                smtp(&$0)
                $0.publicURL = "https://events.example.org"
                $0.mailFrom = "Launch team <events@example.org>"
            } == nil)
        #expect(Self.error { _ in } == nil, "no mail server: .eml files, nothing required")
    }

    @Test func badValuesNameTheirKeyAndNeverThePassword() {
        let url = Self.error { $0.mailSMTPURL = "http://ada:hunter2@mail.example.org" }
        #expect(url?.contains("mail.smtp.url") == true)
        #expect(url?.contains("hunter2") == false)
        #expect(Self.error { $0.mailFrom = "not an address" }?.hasPrefix("mail.from: must be") == true)
        #expect(Self.error { $0.mailFrom = "Name <a>b@x.org>" }?.hasPrefix("mail.from: must be") == true)
        #expect(Self.error { $0.publicURL = "events.example.org" }?.hasPrefix("public.url: must be") == true)
        #expect(Self.error { $0.mailReminderMinutes = -1 }?.hasPrefix("mail.reminder.minutes") == true)
        #expect(Self.error { $0.mailRetrySeconds = 0 }?.hasPrefix("mail.retry.seconds") == true)
    }
}
