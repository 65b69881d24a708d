import HTTP1
import Mail
import Sockets

/// The routes of the engine: health, metrics, test endpoints and page paths.
enum Routes {
    static func addBasics(
        to router: inout Router<Route>,
        configuration: ServerConfiguration,
        metrics: ServerMetrics,
        group: EventLoopGroup,
        adminTokenHash: String,
        authFailures: AuthFailureLog,
        mail: OutboxSenderStats
    ) {
        router.add(.get, "/healthz", .http { _, respond in respond(.text(.ok, "ok")) })
        router.add(
            .get, "/metrics",
            .http { context, respond in
                // Anyone on loopback (a local Prometheus), or the admin from elsewhere.
                if !context.connection.peerIsLoopback {
                    guard let token = context.bearerToken, Secrets.matches(token, hash: adminTokenHash) else {
                        if context.bearerToken != nil {
                            context.answerDelay.raise(to: authFailures.record(client: context.client, credential: .adminToken))
                        }
                        respond(HTTPResponseError.missingCredentials.response)
                        return
                    }
                }
                var response = HTTPResponse(status: .ok, body: metrics.render(stats: group.stats, mail: mail))
                response.headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
                respond(response)
            })
        if configuration.echoEnabled {
            // Autobahn 9.* sends 16 MiB messages, some in 65,536 fragments.
            router.add(
                .get, "/echo",
                .webSocket(
                    WebSocketRoute(
                        maxMessageBytes: 16 << 20, maxFragments: 1 << 17,
                        makeDelegate: { _ in .success(EchoEndpoint()) })))
        }
        if configuration.benchEnabled {
            let hub = BenchBroadcastHub(group: group, metrics: metrics)
            router.add(
                .get, "/bench/broadcast",
                .webSocket(
                    WebSocketRoute(
                        maxMessageBytes: configuration.maxMessageBytes,
                        makeDelegate: { _ in .success(hub.makeMember()) })))
        }
    }

    /// Page paths map to their HTML files; everything else under `/` is looked up in `static/`.
    static func addPages(to router: inout Router<Route>, staticFiles: StaticFiles) {
        let pages: [(String, String)] = [
            ("/events/:slug", "event.html"),
            ("/tickets/:code", "ticket.html"),
            ("/events/:slug/live", "live.html"),
            ("/events/:slug/host", "host.html"),
            ("/events/:slug/archive", "archive.html"),
        ]
        for (pattern, file) in pages {
            // The ticket page's address is the ticket code: no cache keeps it under that name.
            let carriesCode = pattern.contains(":code")
            router.add(
                .get, pattern,
                .http { context, respond in
                    let page = staticFiles.response(forFile: file, head: context.head)
                    respond(carriesCode ? page.notStored : page)
                })
        }
    }
}
