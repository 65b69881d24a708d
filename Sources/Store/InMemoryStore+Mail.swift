public import Foundation
import Synchronization
public import Webinar

/// The outbox in memory: the message is read under the lock, sent outside it, and its outcome recorded
/// under the lock again, like SQLite's read, send, write.
extension InMemoryStore {
    public func hasDueMail(now: Date) throws -> Bool {
        self.state.withLock { state in state.mail.contains { $0.status == .pending && $0.nextAttemptAt <= now } }
    }

    public func deliverDueMail(now: Date, limit: Int, _ deliver: (OutboxMail) -> MailDelivery) throws -> Int {
        var count = 0
        while count < limit, try self.deliverNextMail(now: now, deliver) { count += 1 }
        return count
    }

    private func deliverNextMail(now: Date, _ deliver: (OutboxMail) -> MailDelivery) throws -> Bool {
        let next = self.state.withLock { state -> OutboxMail? in
            let due = state.mail.filter { $0.status == .pending && $0.nextAttemptAt <= now }
                .min { ($0.nextAttemptAt, $0.id) < ($1.nextAttemptAt, $1.id) }
            guard let due, let event = state.events[due.eventId],
                let registration = state.registrations[due.registrationId]?.registration
            else { return nil }
            return OutboxMail(
                id: due.id, kind: due.kind, event: event.event, scheduleSequence: event.scheduleSequence,
                registration: registration, position: due.position, linkSecret: due.linkSecret, attempts: due.attempts,
                createdAt: due.createdAt)
        }
        guard let next else { return false }
        let outcome = deliver(next)
        self.state.withLock { state in
            let index = Int(next.id - 1)
            if case .retry = outcome {} else { state.mail[index].linkSecret = nil }  // the secret leaves with the message
            switch outcome {
            case .sent(let reply, let at):
                state.mail[index].status = .sent
                state.mail[index].finishedAt = at
                state.mail[index].reply = reply
            case .retry(let reply, _, let nextAttempt):
                state.mail[index].attempts += 1
                state.mail[index].nextAttemptAt = nextAttempt
                state.mail[index].reply = reply
            case .failed(let reply, let at):
                state.mail[index].status = .failed
                state.mail[index].attempts += 1
                state.mail[index].finishedAt = at
                state.mail[index].reply = reply
            }
        }
        return true
    }

    public func queueReminders(now: Date, lead: TimeInterval) throws -> Int {
        self.state.withLock { state in
            var queued = 0
            for id in state.events.keys.sorted() {
                guard let row = state.events[id], row.event.startsAt > now, row.event.startsAt <= now + lead,
                    row.reminderFor != row.event.startsAt
                else { continue }
                queued += state.queueMailToTicketHolders(eventId: id, kind: .reminder, now: now)
                state.events[id]?.reminderFor = row.event.startsAt
            }
            return queued
        }
    }

    public func mailLog(slug: String) throws -> [MailRecord] {
        try self.state.withLock { (state) throws(WebinarError) in
            guard let eventId = state.eventIds[slug] else { throw .eventNotFound }
            return state.mail.filter { $0.eventId == eventId }.compactMap { row in
                guard let registration = state.registrations[row.registrationId]?.registration else { return nil }
                return MailRecord(
                    id: row.id, kind: row.kind, registrationId: row.registrationId, name: registration.name,
                    email: registration.email, status: row.status, attempts: row.attempts, createdAt: row.createdAt,
                    nextAttemptAt: row.status == .pending ? row.nextAttemptAt : nil, finishedAt: row.finishedAt,
                    reply: row.reply)
            }
        }
    }

    public func retryFailedMail(slug: String?, now: Date) throws -> Int {
        try self.state.withLock { (state) throws(WebinarError) in
            var eventId: Int64?
            if let slug {
                guard let id = state.eventIds[slug] else { throw .eventNotFound }
                eventId = id
            }
            var count = 0
            for index in state.mail.indices where state.mail[index].status == .failed {
                if let eventId, state.mail[index].eventId != eventId { continue }
                state.mail[index].status = .pending
                state.mail[index].attempts = 0
                state.mail[index].nextAttemptAt = now
                state.mail[index].finishedAt = nil
                count += 1
            }
            return count
        }
    }

    public func mailStats() throws -> MailStats {
        self.state.withLock { state in
            let pending = state.mail.filter { $0.status == .pending }
            return MailStats(
                pending: pending.count, failed: state.mail.count { $0.status == .failed },
                oldestPending: pending.map(\.createdAt).min())
        }
    }
}
