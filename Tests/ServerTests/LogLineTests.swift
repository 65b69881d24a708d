import Foundation
import Logging
import Synchronization
import Testing
import Webinar

@testable import BackchannelServer

/// The pieces of the log, without a server: line formats, path redaction, the failed-login limiter.
@Suite struct LogLineTests {
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
        var output: LogOutput { LogOutput { bytes, _ in self.all.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } } }
    }

    @Test func textQuotesValuesThatNeedItAndJSONEscapes() throws {
        let text = String(
            decoding: LogLine.render(
                .text, time: "T", level: .info, message: "request",
                fields: [("path", .text("/a b")), ("status", .integer(200)), ("client", .text("::1")), ("note", .text("say \"hi\"\n"))]),
            as: UTF8.self)
        #expect(text == "T info request path=\"/a b\" status=200 client=::1 note=\"say \\\"hi\\\"\\n\"\n")
        let json = LogLine.render(
            .json, time: "T", level: .warning, message: "m\"\u{1}", fields: [("status", .integer(404)), ("ms", .number(1.5))])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        #expect(object["message"] as? String == "m\"\u{1}")
        #expect(object["status"] as? Int == 404)
        #expect(object["ms"] as? Double == 1.5)
        #expect(object["level"] as? String == "warning")
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        let stamp = LogLine.timestamp()
        #expect(stamp.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil, "\(stamp)")
    }

    @Test func accessLinesAreWrittenOnlyAtInfoOrBelow() {
        let lines = Lines()
        AccessLog(level: .info, format: .text, output: lines.output).request(
            method: "GET", path: "/healthz", status: 200, bytes: 2, duration: .microseconds(1234), client: "127.0.0.1")
        AccessLog(level: .notice, format: .text, output: lines.output).request(
            method: "GET", path: "/quiet", status: 200, bytes: 2, duration: .zero, client: "127.0.0.1")
        let written = lines.all.withLock { $0 }
        #expect(written.count == 1)
        #expect(
            written.first?.hasSuffix(" info request method=GET path=/healthz status=200 bytes=2 ms=1.23 client=127.0.0.1\n") == true,
            "\(written)")
    }

    @Test func pathsLoseTheirQueryAndSecrets() {
        let code = SecretCode.make(.ticketCode)
        #expect(AccessLog.loggedPath("/tickets/\(code)"[...], code: code) == "/tickets/:code")
        #expect(AccessLog.loggedPath("/api/registrations/legacyCode123"[...], code: "legacyCode123") == "/api/registrations/:code")
        #expect(AccessLog.loggedPath("/nowhere/\(SecretCode.make(.hostKey))/x"[...], code: nil) == "/nowhere/[secret]/x")
        #expect(AccessLog.loggedPath("/events/launch"[...], code: nil) == "/events/launch")
        #expect(AccessLog.loggedPath(Substring(String(repeating: "a", count: 500)), code: nil).count == 201)
    }

    @Test func aFailedLoginIsLoggedOncePerAddressPerMinute() {
        let lines = Lines()
        var logger = Logger(label: "test") { _ in LogLineHandler(format: .text, output: lines.output) }
        logger.logLevel = .info
        let clock = Atomic<UInt64>(1000)
        let counted = Atomic<Int>(0)
        let log = AuthFailureLog(
            logger: logger, counted: { _ in counted.add(1, ordering: .relaxed) }, now: { clock.load(ordering: .relaxed) })
        for _ in 0..<5 { log.record(client: "203.0.113.7", credential: .adminToken) }
        log.record(client: "198.51.100.1", credential: .ticketCode)
        clock.store(1059, ordering: .relaxed)
        log.record(client: "203.0.113.7", credential: .hostKey)
        clock.store(1060, ordering: .relaxed)
        log.record(client: "203.0.113.7", credential: .hostKey)
        let logged = lines.all.withLock { $0 }
        #expect(logged.count == 3, "\(logged)")
        #expect(logged[0].contains("authentication failed credential=admin_token failures=1 client=203.0.113.7"))
        #expect(logged[1].contains("credential=ticket_code failures=1 client=198.51.100.1"))
        #expect(logged[2].contains("credential=host_key failures=6 client=203.0.113.7"), "the 5 held back and this one")
        #expect(counted.load(ordering: .relaxed) == 8)
    }
}
