import Foundation
import HTTP1
import LiveHub
import Webinar

/// What every live connection shares: the API context (store, secrets), the hub and bus, the writer
/// and the room rules.
final class LiveContext: Sendable {
    let api: APIContext
    let hub: LiveHub
    /// Where room traffic goes: straight to the hub, or through PostgreSQL to every node.
    let bus: any LiveBus
    let writer: CommentWriter
    let policies: RoomPolicies
    let messages: LiveMessages
    let metrics: ServerMetrics
    let allowedOrigins: Set<String>
    let maxMessageBytes: Int
    let joinTimeoutMilliseconds: Int
    /// Bounds the live frames held for a member while its resume reads the store.
    static let maxHeldWhileResuming = 10_000

    init(api: APIContext, hub: LiveHub, bus: any LiveBus, writer: CommentWriter, policies: RoomPolicies, messages: LiveMessages,
         metrics: ServerMetrics, configuration: ServerConfiguration) {
        self.messages = messages
        self.api = api
        self.hub = hub
        self.bus = bus
        self.writer = writer
        self.policies = policies
        self.metrics = metrics
        self.allowedOrigins = Set(configuration.allowedOrigins.map { $0.lowercased() })
        self.maxMessageBytes = configuration.maxMessageBytes
        self.joinTimeoutMilliseconds = configuration.joinTimeoutSeconds * 1000
    }

    /// Browsers always send Origin on WebSocket upgrades: refuse pages from other sites (CSWSH).
    /// The server's own origin is allowed, and so is any configured one; clients without Origin pass.
    func originAllowed(_ head: HTTPRequestHead) -> Bool {
        guard let origin = head.headers["Origin"]?.lowercased() else { return true }
        if self.allowedOrigins.contains(origin) { return true }
        guard let host = head.headers["Host"]?.lowercased() else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }
}
