import HTTP1
import LiveHub

/// `GET /api/events/{slug}/live`: the WebSocket of the live room (contract: WebSocket).
enum LiveEndpoint {
    static func add(to router: inout Router<Route>, live: LiveContext) {
        router.add(.get, "/api/events/:slug/live", .webSocket(WebSocketRoute(
            maxMessageBytes: live.maxMessageBytes,
            makeDelegate: { context in
                guard live.originAllowed(context.head) else {
                    return .failure(HTTPResponseError(
                        status: .forbidden, code: "forbidden_origin",
                        message: "Pages from this origin may not open the live room."))
                }
                return .success(LiveSession(live: live, slug: context.parameters["slug"] ?? ""))
            })))
    }
}
