import Foundation
import ServerTesting
import Testing

/// `serve` refuses bad configuration at start, wherever it comes from (the JSON file, a
/// `BACKCHANNEL_*` variable, a flag): exit status 2 and a message naming the source and the key,
/// instead of starting on the defaults.
@Suite struct ServeConfigurationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let file: String?
        let environment: [String: String]
        let flags: [String]
        let says: [String]
        var testDescription: String { self.name }
    }

    static let cases: [Case] = [
        Case(
            name: "a string for a number in the file", file: #"{"port": "abc"}"#, environment: [:], flags: [],
            says: ["config/backchannel.json, line 1: port: expected a whole number, not the string \"abc\""]),
        Case(
            name: "a number out of range in the file", file: "{\n  \"threads\": 0\n}", environment: [:], flags: [],
            says: ["config/backchannel.json, line 2: threads: 0 is out of range for threads (1 to 256)"]),
        Case(
            name: "a letter for a number in the environment", file: nil, environment: ["BACKCHANNEL_PORT": "abc"], flags: [],
            says: ["BACKCHANNEL_PORT: \"abc\" is not a whole number"]),
        Case(
            name: "an unknown log level", file: nil, environment: [:], flags: ["--log-level", "loud"],
            says: ["--log-level: \"loud\" is not one of trace, debug, info, notice, warning, error, critical"]),
        Case(
            name: "a negative port", file: nil, environment: [:], flags: ["--port", "-1"],
            says: ["--port: -1 is out of range for port (0 to 65535)"]),
        Case(
            name: "a host that is not an address", file: nil, environment: [:], flags: ["--host", "nonsense"],
            says: ["--host: \"nonsense\" is not an IP address"]),
        Case(
            name: "an unknown key in the file", file: #"{"prot": 8080, "http": {"max": {"body": {"byte": 2048}}}}"#,
            environment: [:], flags: [],
            says: [#"unknown key "prot"; did you mean "port"?"#, #"unknown key "http.max.body.byte"; did you mean "http.max.body.bytes"?"#]),
        Case(
            name: "broken JSON", file: "{\n  \"port\": 8080\n  \"host\": \"127.0.0.1\"\n}", environment: [:], flags: [],
            says: ["config/backchannel.json: line 3, column 3: unexpected '\"': expected ',' or '}' after a value (a missing comma?)"]),
        Case(
            name: "a bad value for a known switch in the environment", file: nil,
            environment: ["BACKCHANNEL_DEFLATE_ENABLED": "maybe"], flags: [],
            says: ["BACKCHANNEL_DEFLATE_ENABLED: \"maybe\" is not true or false"]),
        Case(
            name: "a secret is never repeated", file: nil,
            environment: ["BACKCHANNEL_DATABASE_URL": "mysql://root:hunter2@db/x"], flags: [],
            says: ["BACKCHANNEL_DATABASE_URL: must be a postgresql:// URL"]),
    ]

    @Test(arguments: Self.cases)
    func badConfigurationStopsTheStart(_ bad: Case) throws {
        let directory = try TestFolder.make("backchannel-config", subfolders: ["config"])
        defer { TestFolder.remove(directory) }
        if let file = bad.file {
            try Data(file.utf8).write(to: directory.appendingPathComponent("config/backchannel.json"))
        }
        var arguments = [
            "serve", "--data-dir", directory.appendingPathComponent("data").path, "--static-dir", PackagePaths.staticDirectory,
        ]
        if !bad.flags.contains("--port") { arguments += ["--port", "0"] }
        let run = try BackchannelProcess.start(
            arguments + bad.flags, environment: bad.environment.merging(["BACKCHANNEL_ADMIN_TOKEN": TestSecrets.adminToken]) { $1 },
            directory: directory)
        let result = try run.wait(seconds: 20)
        #expect(result.status == 2, "\(bad.name): \(result.stderr)")
        for text in bad.says {
            #expect(result.stderr.contains(text), "\(bad.name): \(result.stderr)")
        }
        #expect(!result.stderr.contains("hunter2"))
        #expect(!result.stderr.contains("Code=3840"))
        #expect(!result.stdout.contains("listening on") && !result.stderr.contains("listening on"))
    }

    @Test func goodValuesFromEverySourceAreUsedWithFlagsFirst() throws {
        let directory = try TestFolder.make("backchannel-config", subfolders: ["config"])
        defer { TestFolder.remove(directory) }
        // The file asks for a port that is taken by nobody in particular; the flag wins over it and over the environment.
        try Data(#"{"port": 1, "http": {"max": {"body": {"bytes": 2048}}}, "log": {"level": "debug"}}"#.utf8)
            .write(to: directory.appendingPathComponent("config/backchannel.json"))
        let server = try ServerProcess(
            dataDirectory: directory.appendingPathComponent("data"), environment: ["BACKCHANNEL_PORT": "2", "BACKCHANNEL_PROT": "3"])
        defer { server.stop() }
        #expect(server.port != 1 && server.port != 2, "--port 0 wins")
        #expect(
            server.log.contains("BACKCHANNEL_PROT is not a configuration variable and is ignored; did you mean BACKCHANNEL_PORT?"),
            "\(server.log)")
        // http.max.body.bytes from the file applies: 3,000 bytes is too large.
        let api = try APIClient(port: server.port)
        let response = try api.request("POST", "/api/events", body: String(repeating: "x", count: 3000), token: ServerProcess.adminToken)
        #expect(response.status == 413)
    }
}
