import Foundation
import ServerTesting
import Testing

/// `/metrics` as Prometheus reads it: counters are counters named `…_total`, the three latency
/// histograms fill up as traffic flows, and docs/metrics.md lists exactly what is rendered.
@Suite struct MetricsTests {
    /// `name → type` from the `# TYPE` lines, and the sample lines.
    static func scrape(_ port: Int) throws -> (types: [String: String], samples: [String]) {
        let response = try Fixture.request(port, "GET", "/metrics")
        #expect(response.status == 200)
        var types: [String: String] = [:]
        var samples: [String] = []
        for line in response.text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                types[String(parts[2])] = String(parts[3])
            } else if !line.hasPrefix("#") {
                samples.append(line)
            }
        }
        return (types, samples)
    }

    static func value(_ samples: [String], _ name: String) -> Double? {
        samples.first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func countersAreCountersAndLatenciesAreHistograms() throws {
        let server = try TestServer()
        defer { server.stop() }
        _ = try Fixture.event(server.port, slug: "measured")
        let (code, _) = try Fixture.register(server.port, slug: "measured", name: "Ann")
        #expect(
            try Fixture.request(server.port, "PATCH", "/api/events/measured", body: ["capacity": 5], token: "bch_host_wrong").status == 403)
        let viewer = try LiveClient(port: server.port, slug: "measured")
        #expect(viewer.join()?["role"] as? String == "viewer")
        let attendee = try LiveClient(port: server.port, slug: "measured")
        #expect(attendee.join(ticket: code)?["role"] as? String == "attendee")
        attendee.send(["type": "comment", "text": "measured", "nonce": "m1"])
        #expect(attendee.next(type: "ack") != nil)
        #expect(viewer.next(type: "comment")?["text"] as? String == "measured")

        let (types, samples) = try Self.scrape(server.port)
        for (name, type) in types where name.hasSuffix("_total") {
            #expect(type == "counter", "\(name) is a \(type)")
        }
        for (name, type) in types where type == "counter" {
            #expect(name.hasSuffix("_total"), "\(name)")
        }
        for name in ["http_request_duration_seconds", "comment_commit_duration_seconds", "fanout_duration_seconds"] {
            #expect(types["backchannel_" + name] == "histogram", "\(name)")
            let count = Self.value(samples, "backchannel_\(name)_count") ?? 0
            #expect(count >= 1, "\(name) recorded nothing")
            #expect(samples.contains { $0.hasPrefix("backchannel_\(name)_bucket{le=\"+Inf\"} ") })
        }
        #expect((Self.value(samples, "backchannel_http_requests_total") ?? 0) >= 4)
        #expect(Self.value(samples, "backchannel_comments_stored_total") == 1)
        #expect(Self.value(samples, "backchannel_connections_accepted_total").map { $0 >= 4 } == true)
        #expect(samples.contains("backchannel_auth_failures_total{credential=\"host_key\"} 1"), "\(samples.filter { $0.contains("auth") })")
    }

    @Test func theDocsListEveryMetricAndNoOther() throws {
        let server = try TestServer()
        defer { server.stop() }
        let rendered = Set(try Self.scrape(server.port).types.keys)
        let docs = try String(contentsOf: PackagePaths.root.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
        let listed = Set(
            docs.split(separator: "\n").filter { $0.hasPrefix("| `backchannel_") }.compactMap { row -> String? in
                row.split(separator: "`").dropFirst().first.map { String($0.prefix { $0 != "{" }) }
            })
        #expect(rendered == listed, "only rendered: \(rendered.subtracting(listed)); only in the docs: \(listed.subtracting(rendered))")
    }
}
