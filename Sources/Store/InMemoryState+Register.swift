import Foundation
import Webinar

extension InMemoryState {
    /// Registers a batch by ``RegistrationBatchPlan``, the rules every store decides by, against the
    /// state before the batch; then writes what it decided (new rows, reactivated ones, counters, mail
    /// in request order), as the SQLite store does in its transaction.
    mutating func registerBatch(_ requests: [RegistrationRequest], now: Date) throws
        -> [Result<RegistrationOutcome, WebinarError>]
    {
        let eventIds = Set(requests.compactMap { self.eventIds[$0.slug] })
        var plan = RegistrationBatchPlan(
            events: eventIds.compactMap { id in self.events[id].map { .init(event: $0.event, lastQueue: $0.lastQueue) } })
        for request in requests {
            switch request.registrant {
            case .failure(let error):
                plan.fail(error)
            case .success(let new):
                guard let eventId = self.eventIds[request.slug] else {
                    plan.fail(.eventNotFound)
                    continue
                }
                let stored = self.registrationIdsByEmail[eventId]?[new.email].flatMap { self.withPosition($0) }
                plan.decide(.init(new: new, eventId: eventId, emailKey: new.email, stored: stored), now: now)
            }
        }
        return try plan.results(insertedIds: self.write(plan, now: now))
    }

    /// Returns the new rows' ids in `plan.inserts` order.
    private mutating func write(_ plan: RegistrationBatchPlan, now: Date) -> [Int64] {
        for id in plan.changedEvents {
            guard let row = plan.events[id] else { continue }
            self.events[id]?.event = row.event
            self.events[id]?.lastQueue = row.lastQueue
        }
        for back in plan.reactivations {
            if let old = self.registrations[back.id]?.codeHash { self.registrationIdsByCodeHash[old] = nil }
            self.registrations[back.id]?.codeHash = SecretCode.hash(back.code)
            self.registrationIdsByCodeHash[SecretCode.hash(back.code)] = back.id
            self.registrations[back.id]?.registration.name = back.name
            self.registrations[back.id]?.registration.status = back.status
            self.registrations[back.id]?.registration.offerExpiresAt = nil
            self.registrations[back.id]?.queue = back.queue
        }
        var ids: [Int64] = []
        for insert in plan.inserts {
            let id = self.nextRegistrationId
            self.nextRegistrationId += 1
            var registration = insert.registration
            registration.id = id
            registration.code = nil
            registration.position = nil
            self.registrations[id] = .init(registration: registration, codeHash: insert.codeHash, queue: insert.queue)
            self.registrationIdsByCodeHash[insert.codeHash] = id
            self.registrationIdsByEmail[registration.eventId, default: [:]][registration.email] = id
            self.registrationIdsByEvent[registration.eventId, default: []].append(id)
            ids.append(id)
        }
        // The mail of every request that registered, in request order.
        for decision in plan.decisions {
            var registration: Registration
            switch decision {
            case .stored(let stored, created: true):
                registration = stored
            case .inserted(let index, created: true):
                registration = plan.inserts[index].registration
                registration.id = ids[index]
            case .failed, .stored, .inserted:
                continue
            }
            guard let kind = MailKind.afterRegistering(registration.status) else { continue }
            self.queueMail(
                eventId: registration.eventId, registrationId: registration.id, kind: kind, position: registration.position,
                linkSecret: registration.code, now: now)
        }
        return ids
    }
}
