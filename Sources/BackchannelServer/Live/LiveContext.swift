import Foundation
import LiveHub
import Webinar

/// What every live connection shares: the API context (store, secrets), the hub, the pipeline (writer
/// and bus) and the room rules.
final class LiveContext: Sendable {
    let api: APIContext
    let hub: LiveHub
    /// Where room traffic goes: straight to the hub, or through PostgreSQL to every node.
    let bus: any LiveBus
    /// Comments, likes and host actions: admitted, written, published, in that order.
    let pipeline: LivePipeline
    let policies: RoomPolicies
    /// The clock of the live rules and of what the room stores (the policies' clock).
    var clock: LiveClock { self.policies.clock }
    let messages: LiveMessages
    let metrics: ServerMetrics
    let origins: OriginPolicy
    let maxMessageBytes: Int
    let joinTimeoutMilliseconds: Int
    /// Bounds the live frames held for a member while its resume reads the store.
    static let maxHeldWhileResuming = 10_000
    /// How long a member that went live takes each frame one by one (dropping comments its resume
    /// already sent) before the hub sends it the room through a broadcast group.
    static let promoteAfterMilliseconds = 1000

    init(
        api: APIContext, hub: LiveHub, bus: any LiveBus, writer: CommentWriter, policies: RoomPolicies, messages: LiveMessages,
        metrics: ServerMetrics, origins: OriginPolicy, configuration: ServerConfiguration
    ) {
        self.messages = messages
        self.api = api
        self.hub = hub
        self.bus = bus
        self.pipeline = LivePipeline(writer: writer, bus: bus, store: api.store, policies: policies)
        self.policies = policies
        self.metrics = metrics
        self.origins = origins
        self.maxMessageBytes = configuration.maxMessageBytes
        self.joinTimeoutMilliseconds = configuration.joinTimeoutSeconds * 1000
    }
}
