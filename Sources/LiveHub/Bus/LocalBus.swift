package import Webinar

/// One node (SQLite or in memory): a direct `hub.publish`, nothing else on the path.
package struct LocalBus: LiveBus {
    let hub: LiveHub
    let messages: LiveMessages

    package init(hub: LiveHub, messages: LiveMessages) {
        self.hub = hub
        self.messages = messages
    }

    package func commentCommitted(_ comment: Comment) {
        self.hub.publish(self.messages.frame(for: comment), eventId: comment.eventId)
    }

    package func publish(_ message: RoomMessage, eventId: Int64) {
        if let frame = message.frame(self.messages) { self.hub.publish(frame, eventId: eventId) }
        if let change = message.memberChange { self.hub.notify(change, eventId: eventId) }
    }

    package func roomJoined(eventId: Int64) {}

    package func stop() {}
}
