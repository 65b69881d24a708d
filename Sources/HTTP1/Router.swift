/// Maps a method and path to a handler: literal and `:param` segments, built once at start and then read
/// from every loop (it is an immutable value, so no lock).
///
/// Matching rules:
/// - a trailing slash is ignored (`/a/b/` matches `/a/b`); empty middle segments never match;
/// - segments are percent-decoded before comparing, and parameters are returned decoded; a segment
///   that decodes to a control character (`%00`, `%0A`, `%7F`, C1) matches nothing, so a NUL never
///   reaches a store that would cut the value there;
/// - when several patterns match, the one with a literal at the first differing segment wins
///   (`/events/new` over `/events/:slug`);
/// - HEAD falls back to GET; a path that matches with another method gives `.methodNotAllowed`
///   with the allowed methods for the `Allow` header.
public struct Router<Handler: Sendable>: Sendable {
    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Route: Sendable {
        let method: HTTPMethod
        let segments: [Segment]
        let handler: Handler
    }

    public enum Match {
        case found(Handler, RouteParameters)
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    private var routes: [Route] = []

    public init() {}

    /// Registers `handler` for `method` and `pattern`, e.g. `"/api/events/:slug/registrations"`.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: Handler) {
        let segments = pattern.split(separator: "/").map { part -> Segment in
            if part.first == ":" {
                precondition(part.count > 1, "route parameter without a name in \(pattern)")
                return .parameter(String(part.dropFirst()))
            }
            return .literal(String(part))
        }
        self.routes.append(Route(method: method, segments: segments, handler: handler))
    }

    /// Finds the handler for `method` and the still-encoded `path` (no query).
    public func match(_ method: HTTPMethod, path: Substring) -> Match {
        guard let segments = Self.decodedSegments(path) else { return .notFound }
        var best: (route: Route, parameters: RouteParameters)?
        var fallback: (route: Route, parameters: RouteParameters)?
        var allowed: [HTTPMethod] = []
        for route in self.routes {
            guard let parameters = Self.match(route.segments, segments) else { continue }
            if !allowed.contains(route.method) { allowed.append(route.method) }
            if route.method == method {
                Self.keepMoreSpecific((route, parameters), in: &best)
            } else if method == .head, route.method == .get {
                Self.keepMoreSpecific((route, parameters), in: &fallback)
            }
        }
        if let found = best ?? fallback { return .found(found.route.handler, found.parameters) }
        if allowed.isEmpty { return .notFound }
        if allowed.contains(.get), !allowed.contains(.head) { allowed.append(.head) }
        return .methodNotAllowed(allowed: allowed)
    }

    private static func match(_ pattern: [Segment], _ segments: [String]) -> RouteParameters? {
        guard pattern.count == segments.count else { return nil }
        var parameters = RouteParameters()
        for (expected, actual) in zip(pattern, segments) {
            switch expected {
            case .literal(let literal):
                guard literal == actual else { return nil }
            case .parameter(let name):
                guard !actual.isEmpty else { return nil }
                parameters.append(name: name, value: actual)
            }
        }
        return parameters
    }

    private static func keepMoreSpecific(
        _ candidate: (route: Route, parameters: RouteParameters),
        in best: inout (route: Route, parameters: RouteParameters)?
    ) {
        if let current = best, !Self.isMoreSpecific(candidate.route.segments, than: current.route.segments) { return }
        best = candidate
    }

    private static func isMoreSpecific(_ a: [Segment], than b: [Segment]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }

    /// The decoded segments of `/a/b/`, or nil when the path is not absolute, an escape is invalid or
    /// decodes to a control character.
    private static func decodedSegments(_ path: Substring) -> [String]? {
        guard path.first == "/" else { return nil }
        var parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true { parts.removeLast() }
        var segments: [String] = []
        segments.reserveCapacity(parts.count)
        for part in parts {
            guard let decoded = PercentDecoding.decode(part),
                !decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { return nil }
            segments.append(decoded)
        }
        return segments
    }
}

extension Router.Match: Sendable {}
