import HTTP1
import LiveHub

/// `GET /api/events/{slug}/live`: the WebSocket of the live room (contract: WebSocket).
enum LiveEndpoint {
    static func add(to router: inout Router<Route>, live: LiveContext) {
        router.add(
            .get, "/api/events/:slug/live",
            .webSocket(
                WebSocketRoute(
                    maxMessageBytes: live.maxMessageBytes,
                    makeDelegate: { context in
                        // Browsers send Origin on every upgrade: a page on another site may not open the room (CSWSH).
                        guard !live.origins.refuses(context.head) else { return .failure(.forbiddenOrigin) }
                        return .success(LiveSession(live: live, slug: context.parameters["slug"] ?? ""))
                    })))
    }
}
