import Foundation
import Logging
import Store
import Testing
import Webinar

@testable import Mail

/// The sender's rounds against a real outbox (an in-memory store, `.eml` files in a temporary folder):
/// registrations come first, so while they pour in a round is one batch and the rest waits.
@Suite("Outbox sender")
struct OutboxSenderTests {
    /// A store with `count` registrations (so `count` messages due) and a sender writing into `folder`.
    static func sender(count: Int, folder: URL) throws -> OutboxSender {
        let store = InMemoryStore()
        let now = Date()
        _ = try store.createEvent(
            NewEvent(slug: "rush", title: "Rush", startsAt: now + 86_400, capacity: 10_000), hostKeyHash: "x", now: now)
        let results = try store.registerBatch(
            (0..<count).map { RegistrationRequest(slug: "rush", name: "P\($0)", email: "p\($0)@mail.example.org") }, now: now)
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let composer = MailComposer(publicURL: "https://events.example.org", from: try MailAddress("events@example.org"))
        return OutboxSender(
            store: store, configuration: .init(composer: composer, delivery: .directory(folder.path), reminderLead: 0),
            logger: logger)
    }

    static func files(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }
    }

    @Test func whileRegistrationsPourInARoundIsOneBatchAndTheRestFollowsWhenTheyStop() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sender = try Self.sender(count: OutboxSender.batchSize * 2 + 5, folder: folder)

        sender.registrationsCommitted()
        #expect(sender.drain() == .yielded)
        #expect(Self.files(folder).count == OutboxSender.batchSize, "one round while the desk is busy")

        // The desk is quiet once no registration was committed for a moment: everything left goes out.
        Thread.sleep(forTimeInterval: Double(OutboxSender.deskQuietNanoseconds) / 1e9 * 1.5)
        #expect(sender.drain() == .idle)
        #expect(Self.files(folder).count == OutboxSender.batchSize * 2 + 5)
    }

    @Test func aQuietDeskDrainsEverythingInOneGo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backchannel-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sender = try Self.sender(count: OutboxSender.batchSize * 3, folder: folder)
        #expect(sender.drain() == .idle)
        let files = Self.files(folder).sorted()
        #expect(files.count == OutboxSender.batchSize * 3)
        #expect(files.first == "00000001-confirmed.eml")
        // Written whole (renamed into place), readable by the owner only, no temporary file left.
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(files[0]).path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasSuffix(".tmp") })
        let text = try String(contentsOf: folder.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(text.hasPrefix("Date: ") && text.contains("\r\nTo: \"P0\" <p0@mail.example.org>\r\n"))
    }
}
