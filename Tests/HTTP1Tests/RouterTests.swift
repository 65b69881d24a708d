import HTTP1
import Testing

@Suite struct RouterTests {
    static func makeRouter() -> Router<String> {
        var router = Router<String>()
        router.add(.get, "/", "home")
        router.add(.get, "/api/events/:slug", "event")
        router.add(.get, "/api/events/new", "new-event")
        router.add(.post, "/api/events/:slug/registrations", "register")
        router.add(.delete, "/api/events/:slug/registrations/:id", "cancel")
        router.add(.get, "/api/events/:slug/registrations/:id", "ticket")
        router.add(.head, "/health", "health-head")
        router.add(.get, "/health", "health")
        return router
    }

    func found(_ match: Router<String>.Match) -> (String, RouteParameters)? {
        if case .found(let handler, let parameters) = match { return (handler, parameters) }
        return nil
    }

    @Test func literalAndParameterSegments() throws {
        let router = Self.makeRouter()
        let (handler, parameters) = try #require(
            self.found(router.match(.post, path: "/api/events/launch/registrations"))
        )
        #expect(handler == "register")
        #expect(parameters["slug"] == "launch")
        #expect(parameters["id"] == nil)
        let (cancel, two) = try #require(self.found(router.match(.delete, path: "/api/events/launch/registrations/42")))
        #expect(cancel == "cancel")
        #expect(two["slug"] == "launch" && two["id"] == "42")
        #expect(self.found(router.match(.get, path: "/"))?.0 == "home")
    }

    @Test func literalBeatsParameterWhateverTheOrder() {
        let router = Self.makeRouter()
        #expect(self.found(router.match(.get, path: "/api/events/new"))?.0 == "new-event")
        #expect(self.found(router.match(.get, path: "/api/events/old"))?.0 == "event")
    }

    @Test func methodNotAllowedListsAllowedMethods() {
        let router = Self.makeRouter()
        guard case .methodNotAllowed(let allowed) = router.match(.put, path: "/api/events/x/registrations/1") else {
            Issue.record("expected 405")
            return
        }
        #expect(Set(allowed) == [.delete, .get, .head])
        guard case .methodNotAllowed(let only) = router.match(.get, path: "/api/events/x/registrations") else {
            Issue.record("expected 405")
            return
        }
        #expect(only == [.post])
    }

    @Test func headFallsBackToGetUnlessRegistered() {
        let router = Self.makeRouter()
        let event = self.found(router.match(.head, path: "/api/events/launch"))
        #expect(event?.0 == "event")
        #expect(event?.1["slug"] == "launch")
        #expect(self.found(router.match(.head, path: "/health"))?.0 == "health-head")
    }

    @Test func notFound() {
        let router = Self.makeRouter()
        for path in ["/nope", "/api/events", "/api/events/x/y", "api/events/x", "/api/events//registrations", ""] {
            guard case .notFound = router.match(.get, path: path[...]) else {
                Issue.record("expected notFound for \(path)")
                continue
            }
        }
    }

    @Test func parametersArePercentDecoded() {
        let router = Self.makeRouter()
        let match = self.found(router.match(.get, path: "/api/events/caf%C3%A9%20talk%2Fone"))
        #expect(match?.1["slug"] == "café talk/one")
        #expect(self.found(router.match(.get, path: "/api/ev%65nts/new"))?.0 == "new-event")
        guard case .notFound = router.match(.get, path: "/api/events/%zz") else {
            Issue.record("an invalid escape matches nothing")
            return
        }
    }

    @Test func trailingSlashTolerant() {
        let router = Self.makeRouter()
        #expect(self.found(router.match(.get, path: "/api/events/launch/"))?.1["slug"] == "launch")
        #expect(self.found(router.match(.get, path: "/health/"))?.0 == "health")
    }
}
